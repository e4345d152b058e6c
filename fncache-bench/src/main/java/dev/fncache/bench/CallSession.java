package dev.fncache.bench;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.fncache.CacheJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * The value every benchmark stores: a call session of about 100 bytes of JSON. Baselines encode
 * and decode it with fncache's own Jackson configuration, so both sides do the same work.
 */
public record CallSession(String callId, String callerNumber, Instant startTime, String state) {
    static final ObjectWriter WRITER = CacheJson.writer();
    static final ObjectReader READER = CacheJson.reader().forType(CallSession.class);
    static final CallSession SAMPLE = new CallSession("CA0123456789abcdef0123456789abcdef", "+46701234567",
            Instant.parse("2026-03-01T10:15:30Z"), "ringing");

    static byte[] encode(CallSession session) {
        try {
            return WRITER.writeValueAsBytes(session);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static CallSession decode(byte[] json) {
        try {
            return READER.readValue(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
