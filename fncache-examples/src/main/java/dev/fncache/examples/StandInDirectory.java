package dev.fncache.examples;

import dev.fncache.examples.CustomerLookup.Customer;
import dev.fncache.runtime.FunctionContext;
import dev.fncache.runtime.FunctionRequest;
import dev.fncache.runtime.FunctionResponse;

/**
 * The voice demo's customer directory: about 200 ms a lookup, like a remote one, and a switch
 * that takes it down, so that a run can show {@code /customer} answering from the cache while
 * the directory fails ({@code POST /directory {"up":false}}; {@code {"up":true}} brings it back).
 */
public final class StandInDirectory {

    /** {@code POST /directory} body and answer. */
    public record State(Boolean up) {
    }

    private volatile boolean up = true;

    public Customer lookUp(String phone) {
        if (!up) {
            throw new IllegalStateException("the customer directory is down (POST /directory {\"up\":true} brings it back)");
        }
        return VoiceFunctions.slowDirectory(phone);
    }

    /** {@code POST /directory}: sets the directory up or down; {@code GET} says which it is. */
    public Object handle(FunctionContext context, FunctionRequest request) {
        if (request.method().equals("POST")) {
            Boolean wanted = request.bodyAs(State.class).up();
            if (wanted == null) {
                return FunctionResponse.error(400, "up must be true or false, as in {\"up\":false}, but was missing");
            }
            up = wanted;
        }
        return new State(up);
    }
}
