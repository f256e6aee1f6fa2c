//go:build unix

package checkpoint_test

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/resilvet/resilvet/runtime/checkpoint"
)

// crashEnv, set in the environment of a re-executed test binary, makes it the
// writer of TestCrashSafety instead of running tests; its value is the
// checkpoint's path.
const crashEnv = "RESILVET_CHECKPOINT_CRASH_WRITER"

func init() {
	if path := os.Getenv(crashEnv); path != "" {
		os.Exit(crashWriter(path))
	}
}

// crashState is the value under checkpoint. Seq numbers the states; Data is
// derived from Seq alone, with a length that varies from save to save, and
// Sum is its hash: a loaded state is one that was saved exactly if it equals
// makeState(Seq), so a mix of two states, or any damage, is caught
// independently of the checkpoint file's own checksum.
type crashState struct {
	Seq  int
	Data []byte
	Sum  string
}

func makeState(seq int) crashState {
	rng := rand.New(rand.NewSource(int64(seq)))
	data := make([]byte, rng.Intn(64<<10)) // up to 64 KiB, so that writes take a while
	rng.Read(data)
	sum := sha256.Sum256(data)
	return crashState{Seq: seq, Data: data, Sum: hex.EncodeToString(sum[:])}
}

// crashWriter loads the checkpoint and saves successive states until it is
// killed, reporting on stdout "start N" after loading state N (0 for no
// file), "saving N" before each Save and "saved N" after it. Each report is
// one write(2) to the pipe, so it reaches the parent before the next step
// begins, even if the writer is then killed.
func crashWriter(path string) int {
	ctx := context.Background()
	s := &checkpoint.Store[crashState]{Path: path}
	v, err := s.Load(ctx)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		fmt.Fprintln(os.Stderr, "load:", err)
		return 2
	}
	if err == nil && !reflect.DeepEqual(v, makeState(v.Seq)) {
		fmt.Fprintln(os.Stderr, "loaded a state that was never saved, seq", v.Seq)
		return 2
	}
	report := func(what string, n int) {
		if _, err := os.Stdout.WriteString(what + " " + strconv.Itoa(n) + "\n"); err != nil {
			os.Exit(3)
		}
	}
	report("start", v.Seq)
	for seq := v.Seq + 1; ; seq++ {
		next := makeState(seq)
		report("saving", seq)
		if err := s.Save(ctx, next); err != nil {
			fmt.Fprintln(os.Stderr, "save:", err)
			return 2
		}
		report("saved", seq)
	}
}

// TestCrashSafety kills a writer with SIGKILL at random moments, at least 200
// times, and checks after each kill that the checkpoint loads and holds a
// state that was saved whole.
//
// The oracle: the writer reports "saving N" before Save(N) starts and "saved
// N" after it returns, and starts Save(N+1) only after reporting "saved N".
// After a kill the parent has read every report the writer made (the pipe
// keeps them). Let k be the last state reported saved (or the state the
// writer loaded at its start, if it saved none) and f the last reported
// saving (k or k+1). The file must load without error and equal makeState(j)
// for j = k or j = f: Save(k) returned, so the file holds k or later, and
// Save(f+1) never started. Each writer starts from the state the previous
// one left, checked to be exactly that state, so the states form one chain.
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("re-executes the test binary 200+ times")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "state.ckpt")
	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	const kills = 200
	var stats struct {
		duringSave, betweenSaves, loadedInFlight, savesTotal, tempsLeft, maxTempsLeft int
	}
	want := 0 // the state the next writer must find
	saveTime, timed := 10*time.Millisecond, 1
	start := time.Now()
	for i := 0; i < kills; i++ {
		cmd := exec.Command(exe, "-test.run=^$")
		cmd.Env = append(os.Environ(), crashEnv+"="+path)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := bufio.NewScanner(out)
		if !lines.Scan() {
			_ = cmd.Wait()
			t.Fatalf("kill %d: writer did not start: %s", i, stderr.String())
		}
		var loaded int
		if _, err := fmt.Sscanf(lines.Text(), "start %d", &loaded); err != nil || loaded != want {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			t.Fatalf("kill %d: writer reported %q, want \"start %d\" (stderr: %s)", i, lines.Text(), want, stderr.String())
		}
		// Let the writer start a random number of saves, then kill it at a
		// random offset into the next stretch, scaled to how long a save
		// takes here, so that kills land all through the writes.
		saved, saving, last := loaded, loaded, ""
		var savingAt time.Time
		scan := func() bool {
			if !lines.Scan() {
				return false
			}
			var n int
			switch last = lines.Text(); {
			case fmtScan(last, "saving %d", &n):
				saving, savingAt = n, time.Now()
			case fmtScan(last, "saved %d", &n):
				saved = n
				stats.savesTotal++
				saveTime += time.Since(savingAt)
				timed++
			default:
				t.Fatalf("kill %d: writer reported %q", i, last)
			}
			return true
		}
		target := loaded + 1 + rng.Intn(3)
		for saving < target {
			if !scan() {
				break // the writer's output ended
			}
		}
		mean := saveTime / time.Duration(max(timed, 1))
		time.Sleep(time.Duration(rng.Int63n(int64(2*mean) + 1)))
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		for scan() {
		}
		err = cmd.Wait()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
			t.Fatalf("kill %d: writer ended with %v, not by SIGKILL; stderr: %s", i, err, stderr.String())
		}
		if strings.HasPrefix(last, "saving") {
			stats.duringSave++
		} else {
			stats.betweenSaves++
		}
		if saving != saved && saving != saved+1 {
			t.Fatalf("kill %d: reports out of order: saving %d after saved %d", i, saving, saved)
		}

		temps := 0
		for _, name := range names(t, dir) {
			if strings.HasPrefix(name, "state.ckpt.tmp-") {
				temps++
			} else if name != "state.ckpt" {
				t.Fatalf("kill %d: unexpected file %s", i, name)
			}
		}
		if temps > 1 {
			t.Fatalf("kill %d: %d temporary files: Load did not remove the ones earlier kills left", i, temps)
		}
		stats.tempsLeft += temps
		stats.maxTempsLeft = max(stats.maxTempsLeft, temps)

		s := &checkpoint.Store[crashState]{Path: path}
		v, err := s.Load(context.Background())
		if saved == 0 && errors.Is(err, fs.ErrNotExist) {
			continue // killed before the first save ever returned
		}
		if err != nil {
			t.Fatalf("kill %d (saved %d, saving %d): Load: %v", i, saved, saving, err)
		}
		if v.Seq != saved && v.Seq != saving {
			t.Fatalf("kill %d: loaded state %d, want %d (saved) or %d (in flight)", i, v.Seq, saved, saving)
		}
		if !reflect.DeepEqual(v, makeState(v.Seq)) {
			t.Fatalf("kill %d: state %d loaded with content that was never saved", i, v.Seq)
		}
		if v.Seq != saved {
			stats.loadedInFlight++
		}
		want = v.Seq
	}
	t.Logf("%d kills in %v: %d during a Save, %d between Saves; %d loaded the state in flight; %d saves completed, mean %v; temporary files left by kills: %d in all, at most %d at once (each removed by the next Load)",
		kills, time.Since(start).Round(time.Millisecond), stats.duringSave, stats.betweenSaves, stats.loadedInFlight, stats.savesTotal,
		(saveTime / time.Duration(timed)).Round(time.Microsecond), stats.tempsLeft, stats.maxTempsLeft)
	if stats.duringSave == 0 {
		t.Error("no kill landed during a Save: the test did not exercise what it is for")
	}
}

func fmtScan(s, format string, n *int) bool {
	_, err := fmt.Sscanf(s, format, n)
	return err == nil
}
