package dev.fncache.spring;

import java.lang.reflect.Method;
import java.util.Arrays;
import org.springframework.cache.interceptor.KeyGenerator;
import org.springframework.cache.interceptor.SimpleKey;

/**
 * Spring's default keys, in a form JSON can write: no parameters is {@link SimpleKey#EMPTY}, one
 * is itself, several are the list of them (Spring's {@code SimpleKey} keeps them private).
 */
public final class FncacheKeyGenerator implements KeyGenerator {
    @Override
    public Object generate(Object target, Method method, Object... params) {
        if (params.length == 0) {
            return SimpleKey.EMPTY;
        }
        if (params.length == 1 && params[0] != null) {
            return params[0];
        }
        return Arrays.asList(params);
    }
}
