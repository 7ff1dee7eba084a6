// Package funcs is the registry of built-in scalar functions, operators
// and aggregates: their names, argument and result types, volatility and
// scalar implementation. The binder resolves a call to one Overload at
// plan time; exec/kernels turns the overload into a vectorized kernel
// (typed fast paths where they exist, the scalar Fn otherwise).
//
// The registry is declarative and built once; nothing registers itself
// from init().
package funcs
