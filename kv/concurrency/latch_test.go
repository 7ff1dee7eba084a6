package concurrency

import (
	"context"
	"sync"
	"testing"
	"time"
)

func TestLatchExclusion(t *testing.T) {
	m := NewLatchManager()
	ctx := context.Background()
	var mu sync.Mutex
	counter := map[string]int{}
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			keys := [][]byte{[]byte("b"), []byte("a")}
			if i%2 == 0 {
				keys = [][]byte{[]byte("a"), []byte("b"), []byte("a")}
			}
			for j := 0; j < 200; j++ {
				g, err := m.Acquire(ctx, keys)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				counter["a"]++
				if counter["a"] != 1 {
					t.Error("two holders of latch a")
				}
				mu.Unlock()
				mu.Lock()
				counter["a"]--
				mu.Unlock()
				g.Release()
			}
		}(i)
	}
	wg.Wait()
}

func TestLatchContextCancel(t *testing.T) {
	m := NewLatchManager()
	g, err := m.Acquire(context.Background(), [][]byte{[]byte("k")})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if _, err := m.Acquire(ctx, [][]byte{[]byte("j"), []byte("k")}); err == nil {
		t.Fatal("expected timeout")
	}
	g.Release()
	// "j" must have been released by the failed acquisition.
	g2, err := m.Acquire(context.Background(), [][]byte{[]byte("j"), []byte("k")})
	if err != nil {
		t.Fatal(err)
	}
	g2.Release()
}
