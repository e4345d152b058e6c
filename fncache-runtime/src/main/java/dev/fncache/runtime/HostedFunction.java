package dev.fncache.runtime;

import dev.fncache.FunctionCache;
import java.util.Map;
import org.slf4j.Logger;

/** What every request of one function shares: its name, its one cache, its environment and its logger. */
record HostedFunction(String name, FunctionCache cache, Map<String, String> environment, Logger log) {
}
