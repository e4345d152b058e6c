/**
 * A JCache (JSR-107) provider on any fncache URL: {@code Caching.getCachingProvider()} finds
 * {@link dev.fncache.jcache.FncacheCachingProvider}; each JCache cache is one fncache namespace.
 */
@NullMarked
package dev.fncache.jcache;

import org.jspecify.annotations.NullMarked;
