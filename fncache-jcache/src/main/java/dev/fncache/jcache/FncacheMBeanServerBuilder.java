package dev.fncache.jcache;

import javax.management.MBeanServerBuilder;
import javax.management.MBeanServerDelegate;

/**
 * An {@link MBeanServerBuilder} whose servers are named {@code fncache}, for tools that find the
 * server holding the cache beans by its agent id (the JSR-107 TCK does): set
 * {@code -Djavax.management.builder.initial=dev.fncache.jcache.FncacheMBeanServerBuilder}.
 */
public final class FncacheMBeanServerBuilder extends MBeanServerBuilder {
    /** The agent id of the servers this builder makes. */
    public static final String AGENT_ID = "fncache";

    @Override
    public MBeanServerDelegate newMBeanServerDelegate() {
        return new MBeanServerDelegate() {
            @Override
            public String getMBeanServerId() {
                return AGENT_ID;
            }
        };
    }
}
