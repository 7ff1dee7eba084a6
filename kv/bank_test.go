package kv

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
)

func acctKey(i int) []byte { return fmt.Appendf(nil, "acct/%03d", i) }

func readBalance(ctx context.Context, txn *Txn, i int) (int64, error) {
	v, ok, err := txn.Get(ctx, acctKey(i))
	if err != nil {
		return 0, err
	}
	if !ok || len(v) != 8 {
		return 0, fmt.Errorf("account %d missing or corrupt: %x", i, v)
	}
	return int64(binary.BigEndian.Uint64(v)), nil
}

func balanceValue(b int64) []byte { return binary.BigEndian.AppendUint64(nil, uint64(b)) }

// TestBankTransfers runs concurrent transfers under each isolation level
// that prevents lost updates on read-modify-write, retrying on 40001, while
// auditors check that every snapshot sums to the initial total.
func TestBankTransfers(t *testing.T) {
	for _, iso := range []IsolationLevel{RepeatableRead, Serializable} {
		t.Run(iso.String(), func(t *testing.T) { runBank(t, iso) })
	}
}

func runBank(t *testing.T, iso IsolationLevel) {
	const (
		accounts  = 10
		initial   = 1000
		workers   = 8
		transfers = 150
	)
	ctx := context.Background()
	db := openMem(t)
	setup := db.Begin(ctx, RepeatableRead)
	for i := 0; i < accounts; i++ {
		if err := setup.Put(ctx, acctKey(i), balanceValue(initial)); err != nil {
			t.Fatal(err)
		}
	}
	mustCommit(t, setup)

	var retries, audits atomic.Int64
	transfer := func(r *rand.Rand) error {
		from, to := r.IntN(accounts), r.IntN(accounts)
		amount := int64(r.IntN(50))
		for {
			txn := db.Begin(ctx, iso)
			err := func() error {
				fb, err := readBalance(ctx, txn, from)
				if err != nil {
					return err
				}
				tb, err := readBalance(ctx, txn, to)
				if err != nil {
					return err
				}
				if from == to {
					return txn.Commit(ctx)
				}
				if err := txn.Put(ctx, acctKey(from), balanceValue(fb-amount)); err != nil {
					return err
				}
				if err := txn.Put(ctx, acctKey(to), balanceValue(tb+amount)); err != nil {
					return err
				}
				return txn.Commit(ctx)
			}()
			if errors.Is(err, ErrSerializationFailure) {
				retries.Add(1)
				_ = txn.Rollback(ctx)
				continue
			}
			return err
		}
	}
	audit := func() error {
		txn := db.Begin(ctx, iso)
		it := txn.NewIterator(ctx, []byte("acct/"), []byte("acct0"))
		var sum int64
		n := 0
		for it.Next() {
			sum += int64(binary.BigEndian.Uint64(it.Value()))
			n++
		}
		it.Close()
		if err := it.Err(); err != nil {
			return err
		}
		if n != accounts || sum != accounts*initial {
			return fmt.Errorf("audit: %d accounts sum %d, want %d and %d", n, sum, accounts, accounts*initial)
		}
		audits.Add(1)
		return txn.Commit(ctx)
	}

	var wg sync.WaitGroup
	errc := make(chan error, workers+1)
	stop := make(chan struct{})
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(w), 42))
			for i := 0; i < transfers; i++ {
				if err := transfer(r); err != nil {
					errc <- err
					return
				}
			}
		}(w)
	}
	var auditWG sync.WaitGroup
	auditWG.Add(1)
	go func() {
		defer auditWG.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			if err := audit(); err != nil {
				errc <- err
				return
			}
		}
	}()
	wg.Wait()
	close(stop)
	auditWG.Wait()
	close(errc)
	for err := range errc {
		t.Fatal(err)
	}
	if err := audit(); err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: %d transfers, %d retries, %d audits", iso, workers*transfers, retries.Load(), audits.Load())
}
