package kv

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/cockroachdb/datadriven"
)

// TestTxnDataDriven runs the transaction-protocol scripts in
// testdata/txn: several named transactions over one in-memory DB, each
// command applied in file order. Regenerate the expected output with
//
//	go test ./kv -run TestTxnDataDriven -rewrite
//
// and review the diff. The DSL:
//
//	begin t=<name> [iso=rc|rr|ser] [ro]   start a transaction
//	get t=<name> k=<key>                  Get: "<value>" or "<missing>"
//	get-latest t=<name> k=<key>           GetLatest
//	scan t=<name> [start=<key>] [end=<key>]   iterate: "k=v" lines
//	put t=<name> k=<key> v=<value>        buffer a write
//	del t=<name> k=<key>                  buffer a delete
//	step t=<name>                         end the statement (fresh RC snapshot)
//	lock t=<name> k=<k1>[,<k2>...] [mode=excl|shared] [wait=block|nowait|skip]
//	                                      LockKeys: the keys locked
//	lock-insert t=<name> k=<k1>[,...]     LockForInsert
//	commit t=<name> / rollback t=<name>
//	savepoint t=<name> sp=<name> / rollback-to t=<name> sp=<name>
//	lock-timeout t=<name> ms=<n>          SetLockTimeout
//	await t=<name>                        outcome of t's blocked command
//
// A command that has not finished after blockedAfter prints "blocked";
// its outcome is printed by a later await. Errors print as "error
// <SQLSTATE>: <message>".
func TestTxnDataDriven(t *testing.T) {
	datadriven.Walk(t, "testdata/txn", func(t *testing.T, path string) {
		db := openMem(t)
		txns := map[string]*Txn{}
		pending := map[string]chan string{}
		sps := map[string]SavepointToken{}
		ctx := context.Background()
		datadriven.RunTest(t, path, func(t *testing.T, td *datadriven.TestData) string {
			arg := func(name string) string {
				if a, ok := td.Arg(name); ok {
					return a.FirstVal(t)
				}
				return ""
			}
			keys := func() [][]byte {
				a, ok := td.Arg("k")
				if !ok {
					t.Fatalf("%s: missing k", td.Pos)
				}
				var out [][]byte
				for _, v := range a.Vals {
					for _, k := range strings.Split(v, ",") {
						out = append(out, []byte(k))
					}
				}
				return out
			}
			name := arg("t")
			if td.Cmd == "begin" {
				iso := ReadCommitted
				switch arg("iso") {
				case "rr":
					iso = RepeatableRead
				case "ser":
					iso = Serializable
				}
				txns[name] = db.Begin(ctx, iso)
				if td.HasArg("ro") {
					txns[name].SetReadOnly(true)
				}
				return "ok"
			}
			if td.Cmd == "await" {
				ch, ok := pending[name]
				if !ok {
					t.Fatalf("%s: %s has nothing blocked", td.Pos, name)
				}
				delete(pending, name)
				select {
				case out := <-ch:
					return out
				case <-time.After(5 * time.Second):
					t.Fatalf("%s: %s still blocked", td.Pos, name)
				}
			}
			txn, ok := txns[name]
			if !ok {
				t.Fatalf("%s: no transaction %q", td.Pos, name)
			}
			if _, busy := pending[name]; busy {
				t.Fatalf("%s: %s is blocked", td.Pos, name)
			}
			var op func() string
			switch td.Cmd {
			case "get", "get-latest":
				get := txn.Get
				if td.Cmd == "get-latest" {
					get = txn.GetLatest
				}
				op = func() string {
					v, found, err := get(ctx, keys()[0])
					if err != nil {
						return errString(err)
					}
					if !found {
						return "<missing>"
					}
					return string(v)
				}
			case "scan":
				op = func() string {
					var end []byte
					if e := arg("end"); e != "" {
						end = []byte(e)
					}
					it := txn.NewIterator(ctx, []byte(arg("start")), end)
					defer it.Close()
					var lines []string
					for it.Next() {
						lines = append(lines, fmt.Sprintf("%s=%s", it.Key(), it.Value()))
					}
					if err := it.Err(); err != nil {
						return errString(err)
					}
					if len(lines) == 0 {
						return "<empty>"
					}
					return strings.Join(lines, "\n")
				}
			case "put":
				op = func() string { return errOrOK(txn.Put(ctx, keys()[0], []byte(arg("v")))) }
			case "del":
				op = func() string { return errOrOK(txn.Delete(ctx, keys()[0])) }
			case "step":
				txn.Step()
				return "ok"
			case "lock":
				mode := LockUpdate
				switch arg("mode") {
				case "keyshare":
					mode = LockKeyShare
				case "share":
					mode = LockShare
				case "nokeyupdate":
					mode = LockNoKeyUpdate
				case "", "update":
				default:
					t.Fatalf("unknown lock mode %q", arg("mode"))
				}
				wait := WaitBlock
				switch arg("wait") {
				case "nowait":
					wait = WaitNoWait
				case "skip":
					wait = WaitSkipLocked
				}
				op = func() string {
					got, err := txn.LockKeys(ctx, keys(), mode, wait)
					if err != nil {
						return errString(err)
					}
					var s []string
					for _, k := range got {
						s = append(s, string(k))
					}
					sort.Strings(s)
					return "locked: " + strings.Join(s, ",")
				}
			case "lock-insert":
				op = func() string { return errOrOK(txn.LockForInsert(ctx, keys())) }
			case "commit":
				op = func() string { return errOrOK(txn.Commit(ctx)) }
			case "rollback":
				op = func() string { return errOrOK(txn.Rollback(ctx)) }
			case "savepoint":
				sps[name+"/"+arg("sp")] = txn.Savepoint()
				return "ok"
			case "rollback-to":
				return errOrOK(txn.RollbackTo(ctx, sps[name+"/"+arg("sp")]))
			case "lock-timeout":
				var ms int
				td.ScanArgs(t, "ms", &ms)
				txn.SetLockTimeout(time.Duration(ms) * time.Millisecond)
				return "ok"
			default:
				t.Fatalf("%s: unknown command %q", td.Pos, td.Cmd)
			}
			ch := make(chan string, 1)
			go func() { ch <- op() }()
			select {
			case out := <-ch:
				return out
			case <-time.After(blockedAfter):
				pending[name] = ch
				return "blocked"
			}
		})
		for name, ch := range pending {
			<-ch
			t.Errorf("%s: %s left blocked at the end of the file", path, name)
		}
	})
}

// blockedAfter is how long a command may run before it is reported as
// blocked: long enough that a command that does not wait never gets
// there on a loaded machine.
const blockedAfter = 500 * time.Millisecond

func errOrOK(err error) string {
	if err != nil {
		return errString(err)
	}
	return "ok"
}

func errString(err error) string {
	if c := pgCode(err); c != "" {
		return "error " + c + ": " + err.Error()
	}
	return "error: " + err.Error()
}
