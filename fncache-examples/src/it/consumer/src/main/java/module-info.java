module dev.example.consumer {
    requires dev.fncache.core;
    requires dev.fncache.sqlite;
    requires dev.fncache.redis;

    // The one line a modular application adds for its value types (README, "On the module path").
    exports dev.example.consumer.values to com.fasterxml.jackson.databind;
}
