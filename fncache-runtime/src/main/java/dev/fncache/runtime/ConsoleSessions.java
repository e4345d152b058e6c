package dev.fncache.runtime;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The console's logins and sessions, as a careful web application keeps them:
 * <ul>
 *   <li>the token is compared as a SHA-256 digest in constant time, so neither its content nor its
 *       length shows in the time an answer takes;</li>
 *   <li>failed logins are throttled per client ({@value #FAILURES_PER_CLIENT} a minute) and in
 *       total ({@value #FAILURES_IN_TOTAL} a minute); a throttled login is refused before its token
 *       is looked at, so it tells a guesser nothing;</li>
 *   <li>a session ends after {@link #IDLE} without use or {@link #ABSOLUTE} after its login, or at
 *       logout; at most {@value #MAX_SESSIONS} are kept, and a login past that ends only the session
 *       used least recently.</li>
 * </ul>
 */
final class ConsoleSessions {
    static final int MAX_SESSIONS = 1_000;
    static final Duration IDLE = Duration.ofMinutes(30);
    static final Duration ABSOLUTE = Duration.ofHours(12);
    static final int FAILURES_PER_CLIENT = 5;
    static final int FAILURES_IN_TOTAL = 50;
    static final Duration FAILURE_WINDOW = Duration.ofMinutes(1);
    /** Clients whose recent failures are remembered; past that the oldest record is dropped. */
    private static final int MAX_CLIENTS = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a login attempt came to. */
    sealed interface Login {
        /** A new session: its id (the cookie) and its CSRF token. */
        record Opened(String session, String csrf) implements Login {
        }

        /** The token was wrong. */
        record Refused() implements Login {
        }

        /** Too many failed logins lately; try again after {@code retryAfter}. */
        record Throttled(Duration retryAfter) implements Login {
        }
    }

    private record Session(String csrf, long openedAt, long lastUsedAt) {
    }

    private final byte[] tokenDigest;
    private final Clock clock;
    /** Sessions in access order, so the first is the one used least recently. */
    private final LinkedHashMap<String, Session> sessions = new LinkedHashMap<>(16, 0.75f, true);
    /** Recent failures by client, in access order, so the first is the client seen least recently. */
    private final LinkedHashMap<String, Deque<Long>> failuresByClient = new LinkedHashMap<>(16, 0.75f, true);
    private final Deque<Long> failures = new ArrayDeque<>();

    ConsoleSessions(String token, Clock clock) {
        this.tokenDigest = digest(token);
        this.clock = clock;
    }

    /** Checks {@code given} for the login of {@code client} (its address). */
    synchronized Login login(String given, String client) {
        long now = clock.millis();
        Deque<Long> clientFailures = failuresByClient.computeIfAbsent(client, c -> new ArrayDeque<>());
        if (failuresByClient.size() > MAX_CLIENTS) {
            removeFirst(failuresByClient);
        }
        forgetBefore(clientFailures, now);
        forgetBefore(failures, now);
        Long blocking = clientFailures.size() >= FAILURES_PER_CLIENT ? clientFailures.peekFirst()
                : failures.size() >= FAILURES_IN_TOTAL ? failures.peekFirst() : null;
        if (blocking != null) {
            return new Login.Throttled(Duration.ofMillis(Math.max(1_000, blocking + FAILURE_WINDOW.toMillis() - now)));
        }
        if (!MessageDigest.isEqual(tokenDigest, digest(given))) {
            clientFailures.addLast(now);
            failures.addLast(now);
            return new Login.Refused();
        }
        if (clientFailures.isEmpty()) {
            failuresByClient.remove(client);
        }
        expire(now);
        if (sessions.size() >= MAX_SESSIONS) {
            removeFirst(sessions);
        }
        String session = randomToken();
        String csrf = randomToken();
        sessions.put(session, new Session(csrf, now, now));
        return new Login.Opened(session, csrf);
    }

    /** The CSRF token of a live session, marking it used; null when there is none. */
    synchronized String csrfOf(String session) {
        if (session == null) {
            return null;
        }
        long now = clock.millis();
        Session found = sessions.get(session);
        if (found == null) {
            return null;
        }
        if (now - found.lastUsedAt() >= IDLE.toMillis() || now - found.openedAt() >= ABSOLUTE.toMillis()) {
            sessions.remove(session);
            return null;
        }
        sessions.put(session, new Session(found.csrf(), found.openedAt(), now));
        return found.csrf();
    }

    /** Ends a session; true when it was live. */
    synchronized boolean logout(String session) {
        return session != null && sessions.remove(session) != null;
    }

    synchronized int size() {
        return sessions.size();
    }

    private void expire(long now) {
        sessions.values().removeIf(s -> now - s.lastUsedAt() >= IDLE.toMillis() || now - s.openedAt() >= ABSOLUTE.toMillis());
    }

    private static void removeFirst(Map<String, ?> accessOrdered) {
        var first = accessOrdered.keySet().iterator();
        first.next();
        first.remove();
    }

    private static void forgetBefore(Deque<Long> times, long now) {
        while (!times.isEmpty() && times.peekFirst() <= now - FAILURE_WINDOW.toMillis()) {
            times.removeFirst();
        }
    }

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    private static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
