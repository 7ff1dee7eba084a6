// Package plan is the typed logical plan the binder produces and the
// physical planner (exec/build) consumes: relational nodes over typed
// scalar expressions. Every expression knows its result type; column
// references are positions in the input node's output.
package plan
