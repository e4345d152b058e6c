/**
 * fncache's statistics as Micrometer meters ({@link dev.fncache.micrometer.FunctionCacheMetrics}).
 * Micrometer has no module descriptor, only a stable {@code Automatic-Module-Name}, hence the
 * suppressed warning.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.fncache.micrometer {
    requires transitive dev.fncache.core;
    requires transitive micrometer.core;
    requires static org.jspecify;

    exports dev.fncache.micrometer;
}
