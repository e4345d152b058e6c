package dev.fncache.tck;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test does when a program it needs is not installed: skip with a loud message on a
 * developer's machine, fail in CI, where {@code .ci/run} sets the tool's variable to {@code true}
 * because the tool must be there.
 */
public final class RequiredTool {
    private RequiredTool() {
    }

    /**
     * Returns when {@code present}; else skips the calling test, or fails it when the environment
     * variable {@code requiredVariable} is {@code true}.
     *
     * @param what    the missing program, as a sentence's subject ("redis-server or redis-cli")
     * @param install how to install it ("apt-get install redis-server redis-tools")
     */
    public static void require(boolean present, String what, String install, String requiredVariable) {
        if (present) {
            return;
        }
        String message = "\n*** " + what + " is not installed: the tests that need it cannot run. ***\n"
                + "*** Install it (" + install + ") to run them here. ***\n";
        if (Boolean.parseBoolean(System.getenv(requiredVariable))) {
            Assertions.fail(message + requiredVariable + "=true, so a missing " + what + " is a failure.");
        }
        System.err.println(message);
        Assumptions.abort(message);
    }
}
