// Package vec maps SQL types onto Arrow arrays and moves values between
// them: the column representation every exec operator shares.
//
// Mapping (see sql/types for the Go Datum forms):
//
//	bool                 arrow.Boolean
//	int2 / int4          arrow.Int16 / arrow.Int32
//	int8, oid            arrow.Int64
//	float4 / float8      arrow.Float32 / arrow.Float64
//	numeric              arrow.String (canonical decimal text, keeps dscale)
//	text, varchar, ...   arrow.String
//	bytea                arrow.Binary
//	date                 arrow.Date32 (days since 1970-01-01)
//	timestamp(tz)        arrow.Timestamp(µs)
//	interval             arrow.FixedSizeBinary(16): months, days, µs (little endian)
//	uuid                 arrow.FixedSizeBinary(16)
//
// Batches are arrow.RecordBatch values; a NULL is a cleared validity bit.
// Get and Append are the generic (per-value) paths; kernels in
// exec/kernels use typed fast paths over the buffers where they matter.
package vec
