// Package op holds the vectorized operators: each pulls Arrow batches
// from its input with Next and returns its own (nil at the end).
//
// Contract: Open before the first Next; Next returns (nil, nil) once
// exhausted; Close releases resources and may be called at any time after
// Open (also after an error). The caller owns each returned batch.
package op
