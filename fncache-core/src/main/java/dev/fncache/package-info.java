/**
 * fncache's API: {@link dev.fncache.FunctionCache}, opened by {@link dev.fncache.FunctionCaches}.
 * Nothing here takes or returns null unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package dev.fncache;

import org.jspecify.annotations.NullMarked;
