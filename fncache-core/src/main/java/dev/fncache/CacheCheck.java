package dev.fncache;

/**
 * One check of a deployment, from {@link FunctionCaches#doctor}: what was checked, how it came
 * out, and why, in words an operator can act on.
 */
public record CacheCheck(String name, Status status, String detail) {
    /** How a check came out. */
    public enum Status {
        /** As the recipe recommends. */
        PASS,
        /** Not as it must be: the detail says what to change. */
        FAIL,
        /** Could not be checked with this URL's user (the detail says why); not a failure. */
        SKIP
    }

    public static CacheCheck pass(String name, String detail) {
        return new CacheCheck(name, Status.PASS, detail);
    }

    public static CacheCheck fail(String name, String detail) {
        return new CacheCheck(name, Status.FAIL, detail);
    }

    public static CacheCheck skip(String name, String detail) {
        return new CacheCheck(name, Status.SKIP, detail);
    }

    /** {@code PASS  name: detail}, as {@code fncache doctor} prints it. */
    @Override
    public String toString() {
        return String.format("%-5s %s: %s", status, name, detail);
    }
}
