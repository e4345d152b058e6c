package dev.fncache.spring;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.springframework.cache.interceptor.CacheOperationInvocationContext;
import org.springframework.cache.interceptor.CacheResolver;

/**
 * Resolves each cache of a {@code @Cacheable}, {@code @CachePut} or {@code @CacheEvict} method
 * as a view reading values as the method's generic return type ({@code Optional<T>} and
 * {@code CompletableFuture<T>} as {@code T}, which is what Spring stores), so values are stored
 * as plain JSON, with no class names in them, and read back as the type the method declares.
 */
public final class FncacheCacheResolver implements CacheResolver {
    private final FncacheCacheManager manager;

    public FncacheCacheResolver(FncacheCacheManager manager) {
        this.manager = manager;
    }

    @Override
    public Collection<FncacheCache> resolveCaches(CacheOperationInvocationContext<?> context) {
        Type valueType = valueType(context.getMethod().getGenericReturnType());
        return context.getOperation().getCacheNames().stream().map(name -> manager.getCache(name, valueType)).toList();
    }

    static Type valueType(Type returnType) {
        if (returnType == void.class) {
            return Object.class;
        }
        if (returnType instanceof Class<?> raw && raw.isPrimitive()) {
            return java.lang.invoke.MethodType.methodType(raw).wrap().returnType();
        }
        if (returnType instanceof ParameterizedType generic && generic.getRawType() instanceof Class<?> raw
                && (raw == Optional.class || CompletionStage.class.isAssignableFrom(raw))) {
            return generic.getActualTypeArguments()[0];
        }
        return returnType;
    }
}
