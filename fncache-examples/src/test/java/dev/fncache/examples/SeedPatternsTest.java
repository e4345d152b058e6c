package dev.fncache.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import dev.fncache.examples.CustomerLookup.Customer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The README's examples, run. */
class SeedPatternsTest {
    private Instant now = Instant.parse("2026-03-01T10:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    };
    private final FunctionCache cache = FunctionCaches.builder()
            .url("memory:examples-" + UUID.randomUUID()).namespace("voice-ivr").clock(clock).build();

    @AfterEach
    void close() {
        cache.close();
    }

    @Test
    void secondCallbackReadsTheSessionTheFirstStored() {
        CallSessions sessions = new CallSessions(cache, clock);
        sessions.onIncomingCall("CA1", "+46701234567");
        now = now.plusSeconds(42);
        assertThat(sessions.onCallAnswered("CA1"))
                .isEqualTo(new CallSessions.CallSummary("+46701234567", Duration.ofSeconds(42)));
    }

    @Test
    void aRetriedAnswerCallbackSeesTheFirstAnswerTime() {
        CallSessions sessions = new CallSessions(cache, clock);
        sessions.onIncomingCall("CA1", "+46701234567");
        now = now.plusSeconds(42);
        sessions.onCallAnswered("CA1");
        now = now.plusSeconds(5);
        assertThat(sessions.onCallAnswered("CA1").elapsed()).isEqualTo(Duration.ofSeconds(42));
    }

    @Test
    void sessionIsGoneAfterTenMinutes() {
        CallSessions sessions = new CallSessions(cache, clock);
        sessions.onIncomingCall("CA1", "+46701234567");
        now = now.plusSeconds(600);
        assertThat(sessions.onCallAnswered("CA1")).isNull();
    }

    @Test
    void eleventhMessageInAnHourIsRefusedUntilTheFirstLeavesTheWindow() {
        SmsRateLimiter limiter = new SmsRateLimiter(cache);
        assertThat(limiter.allow("+4670").allowed()).isTrue();
        now = now.plusSeconds(1800);
        assertThat(IntStream.rangeClosed(2, 12).mapToObj(i -> limiter.allow("+4670").allowed())).containsExactly(
                true, true, true, true, true, true, true, true, true, false, false);
        assertThat(limiter.allow("+4670").retryAfter()).isEqualTo(Duration.ofSeconds(1800));
        assertThat(limiter.allow("+4671").allowed()).isTrue();
        now = now.plusSeconds(1800);
        assertThat(limiter.allow("+4670").allowed()).as("the first message left the window").isTrue();
        assertThat(limiter.allow("+4670").allowed()).as("the other nine are still in it").isFalse();
    }

    @Test
    void customerIsFetchedOnceThenServedFromTheCacheForFiveMinutes() {
        AtomicInteger directoryCalls = new AtomicInteger();
        CustomerLookup lookup = new CustomerLookup(cache, phone -> {
            directoryCalls.incrementAndGet();
            return new Customer(phone, "Alice", "gold");
        });
        assertThat(lookup.byPhone("+4670").name()).isEqualTo("Alice");
        assertThat(lookup.byPhone("+4670").name()).isEqualTo("Alice");
        assertThat(directoryCalls).hasValue(1);
        now = now.plusSeconds(300);
        lookup.byPhone("+4670");
        assertThat(directoryCalls).hasValue(2);
    }

    @Test
    void manyCustomersAreFetchedWithOneDirectoryRequestForTheMissingOnes() {
        java.util.List<java.util.Collection<String>> requests = new java.util.ArrayList<>();
        CustomerLookup lookup = new CustomerLookup(cache, phone -> new Customer(phone, "one by one", "gold"), phones -> {
            requests.add(java.util.List.copyOf(phones));
            return phones.stream().map(phone -> new Customer(phone, "Caller " + phone, "gold")).toList();
        });
        lookup.byPhone("+4670");
        java.util.Map<String, Customer> found = lookup.byPhones(java.util.List.of("+4671", "+4670", "+4672"));
        assertThat(found.keySet()).containsExactly("customer:+4671", "customer:+4670", "customer:+4672");
        assertThat(found.get("customer:+4670").name()).as("cached before").isEqualTo("one by one");
        assertThat(requests).hasSize(1);
        assertThat(requests.get(0)).containsExactlyInAnyOrder("+4671", "+4672");
    }

    @Test
    void aCampaignSendsABurstOfAHundredSegmentsThenFivePerSecond() {
        SmsRateLimiter limiter = new SmsRateLimiter(cache);
        assertThat(limiter.allowCampaign("spring-sale", 60).remaining()).isEqualTo(40);
        assertThat(limiter.allowCampaign("spring-sale", 40).allowed()).isTrue();
        dev.fncache.RateLimit denied = limiter.allowCampaign("spring-sale", 3);
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.retryAfter()).as("three segments take one second to come back").isEqualTo(Duration.ofSeconds(1));
        now = now.plusSeconds(1);
        assertThat(limiter.allowCampaign("spring-sale", 3).remaining()).isEqualTo(2);
    }
}
