// Package lsp is the editor's side of the Language Server Protocol, as much
// of it as the end-to-end test and the latency benchmark need: JSON-RPC
// over a language server's stdin and stdout, the requests an editor sends,
// the answers an editor gives to the server's own requests, and the
// diagnostics the server publishes.
package lsp

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// A Server is a language server process and the client's state.
type Server struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stderr *syncBuffer
	done   chan struct{} // closed when the reader has stopped

	// Settings answers workspace/configuration (the "gopls" section).
	// Set it before Initialize, or change it and send
	// workspace/didChangeConfiguration.
	mu        sync.Mutex
	settings  map[string]any
	nextID    int
	pending   map[int]chan response
	published []Published // every publishDiagnostics, in order
	changed   chan struct{}
	readErr   error
	writeMu   sync.Mutex
}

// A Published is one textDocument/publishDiagnostics notification.
type Published struct {
	URI         string       `json:"uri"`
	Version     *int         `json:"version"`
	Diagnostics []Diagnostic `json:"diagnostics"`
	At          time.Time    `json:"-"` // when it was read
}

// A Diagnostic is an LSP diagnostic. Data is kept as sent, to be given
// back in a code action request, as editors do.
type Diagnostic struct {
	Range           Range            `json:"range"`
	Severity        int              `json:"severity,omitempty"`
	Code            string           `json:"code,omitempty"`
	CodeDescription *CodeDescription `json:"codeDescription,omitempty"`
	Source          string           `json:"source,omitempty"`
	Message         string           `json:"message"`
	Data            json.RawMessage  `json:"data,omitempty"`
}

// A CodeDescription holds a diagnostic's documentation link.
type CodeDescription struct {
	Href string `json:"href"`
}

// A Range is a span of a document; lines and characters count from 0.
type Range struct {
	Start Position `json:"start"`
	End   Position `json:"end"`
}

// A Position is a line and a character offset in UTF-16 code units.
type Position struct {
	Line      int `json:"line"`
	Character int `json:"character"`
}

// A CodeAction is a code action the server offers.
type CodeAction struct {
	Title       string          `json:"title"`
	Kind        string          `json:"kind,omitempty"`
	Diagnostics []Diagnostic    `json:"diagnostics,omitempty"`
	Edit        *WorkspaceEdit  `json:"edit,omitempty"`
	Command     json.RawMessage `json:"command,omitempty"`
	Data        json.RawMessage `json:"data,omitempty"`
}

// A WorkspaceEdit is a set of edits to documents, in either of the two
// forms the protocol has.
type WorkspaceEdit struct {
	Changes         map[string][]TextEdit `json:"changes,omitempty"`
	DocumentChanges []struct {
		TextDocument struct {
			URI string `json:"uri"`
		} `json:"textDocument"`
		Edits []TextEdit `json:"edits"`
	} `json:"documentChanges,omitempty"`
}

// A TextEdit replaces a range with new text.
type TextEdit struct {
	Range   Range  `json:"range"`
	NewText string `json:"newText"`
}

// Edits returns the edits of e to the document uri.
func (e *WorkspaceEdit) Edits(uri string) []TextEdit {
	edits := e.Changes[uri]
	for _, dc := range e.DocumentChanges {
		if dc.TextDocument.URI == uri {
			edits = append(edits, dc.Edits...)
		}
	}
	return edits
}

// Start starts the language server bin in dir with the environment env
// and the client's side of the protocol.
func Start(bin, dir string, env []string, args ...string) (*Server, error) {
	cmd := exec.Command(bin, args...)
	cmd.Dir, cmd.Env = dir, env
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	s := &Server{
		cmd:     cmd,
		stdin:   stdin,
		stderr:  new(syncBuffer),
		done:    make(chan struct{}),
		pending: make(map[int]chan response),
		changed: make(chan struct{}),
	}
	cmd.Stderr = s.stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	go s.read(bufio.NewReader(stdout))
	return s, nil
}

// SetSettings sets what the client answers to workspace/configuration.
func (s *Server) SetSettings(settings map[string]any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settings = settings
}

// Stderr returns what the server has written to its stderr so far.
func (s *Server) Stderr() string { return s.stderr.String() }

type message struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id,omitempty"`
	Method  string          `json:"method,omitempty"`
	Params  json.RawMessage `json:"params,omitempty"`
	Result  json.RawMessage `json:"result,omitempty"`
	Error   *RPCError       `json:"error,omitempty"`
}

// An RPCError is an error response.
type RPCError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

func (e *RPCError) Error() string { return fmt.Sprintf("%s (code %d)", e.Message, e.Code) }

type response struct {
	result json.RawMessage
	err    error
}

// read reads the server's messages until its stdout closes.
func (s *Server) read(r *bufio.Reader) {
	defer close(s.done)
	var err error
	for {
		var msg message
		if msg, err = readMessage(r); err != nil {
			break
		}
		switch {
		case msg.Method != "" && msg.ID != nil:
			s.answer(msg)
		case msg.Method == "textDocument/publishDiagnostics":
			var p Published
			if err := json.Unmarshal(msg.Params, &p); err != nil {
				continue // a malformed notification is the wait's timeout
			}
			p.At = time.Now()
			s.mu.Lock()
			s.published = append(s.published, p)
			close(s.changed)
			s.changed = make(chan struct{})
			s.mu.Unlock()
		case msg.Method == "":
			id, _ := strconv.Atoi(string(msg.ID))
			s.mu.Lock()
			ch := s.pending[id]
			delete(s.pending, id)
			s.mu.Unlock()
			if ch != nil {
				resp := response{result: msg.Result}
				if msg.Error != nil {
					resp.err = msg.Error
				}
				ch <- resp
			}
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.readErr = err
	for id, ch := range s.pending {
		ch <- response{err: fmt.Errorf("server stopped: %v", err)}
		delete(s.pending, id)
	}
}

func readMessage(r *bufio.Reader) (message, error) {
	length := -1
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return message{}, err
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			break
		}
		if v, ok := strings.CutPrefix(line, "Content-Length: "); ok {
			if length, err = strconv.Atoi(v); err != nil {
				return message{}, fmt.Errorf("bad header %q", line)
			}
		}
	}
	if length < 0 {
		return message{}, errors.New("message without Content-Length")
	}
	body := make([]byte, length)
	if _, err := io.ReadFull(r, body); err != nil {
		return message{}, err
	}
	var msg message
	return msg, json.Unmarshal(body, &msg)
}

// answer answers a request of the server as an editor does: the settings
// for workspace/configuration, success for the rest (registrations,
// progress tokens, messages shown).
func (s *Server) answer(req message) {
	var result any
	if req.Method == "workspace/configuration" {
		var p struct{ Items []struct{ Section string } }
		_ = json.Unmarshal(req.Params, &p) // no items: an empty answer
		s.mu.Lock()
		items := make([]any, len(p.Items))
		for i := range items {
			items[i] = s.settings
		}
		s.mu.Unlock()
		result = items
	}
	data, _ := json.Marshal(result) // nil or settings of JSON values
	_ = s.write(message{ID: req.ID, Result: data})
}

func (s *Server) write(msg message) error {
	msg.JSONRPC = "2.0"
	body, err := json.Marshal(msg)
	if err != nil {
		return err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	_, err = fmt.Fprintf(s.stdin, "Content-Length: %d\r\n\r\n%s", len(body), body)
	return err
}

// Call sends a request and decodes its result into result (if not nil).
func (s *Server) Call(ctx context.Context, method string, params, result any) error {
	data, err := json.Marshal(params)
	if err != nil {
		return err
	}
	ch := make(chan response, 1)
	s.mu.Lock()
	if s.readErr != nil {
		s.mu.Unlock()
		return fmt.Errorf("%s: server stopped: %v", method, s.readErr)
	}
	s.nextID++
	id := s.nextID
	s.pending[id] = ch
	s.mu.Unlock()
	if err := s.write(message{ID: json.RawMessage(strconv.Itoa(id)), Method: method, Params: data}); err != nil {
		return fmt.Errorf("%s: %v", method, err)
	}
	select {
	case resp := <-ch:
		if resp.err != nil {
			return fmt.Errorf("%s: %w", method, resp.err)
		}
		if result == nil {
			return nil
		}
		return json.Unmarshal(resp.result, result)
	case <-ctx.Done():
		return fmt.Errorf("%s: %w", method, ctx.Err())
	}
}

// Notify sends a notification.
func (s *Server) Notify(method string, params any) error {
	data, err := json.Marshal(params)
	if err != nil {
		return err
	}
	return s.write(message{Method: method, Params: data})
}

// Mark returns the number of diagnostics notifications read so far, for
// Await to look only at later ones.
func (s *Server) Mark() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.published)
}

// Await returns the first diagnostics published for uri after mark
// (see Mark) for which ok returns true, waiting for it until ctx is done.
func (s *Server) Await(ctx context.Context, mark int, uri string, ok func(Published) bool) (Published, error) {
	for {
		s.mu.Lock()
		for ; mark < len(s.published); mark++ {
			if p := s.published[mark]; p.URI == uri && ok(p) {
				s.mu.Unlock()
				return p, nil
			}
		}
		changed, readErr := s.changed, s.readErr
		s.mu.Unlock()
		if readErr != nil {
			return Published{}, fmt.Errorf("server stopped before publishing the diagnostics awaited: %v", readErr)
		}
		select {
		case <-changed:
		case <-s.done:
		case <-ctx.Done():
			return Published{}, fmt.Errorf("waiting for diagnostics of %s: %w", uri, ctx.Err())
		}
	}
}

// Latest returns the last diagnostics published for uri, if any.
func (s *Server) Latest(uri string) (Published, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := len(s.published) - 1; i >= 0; i-- {
		if s.published[i].URI == uri {
			return s.published[i], true
		}
	}
	return Published{}, false
}

// Initialize sends initialize, with the capabilities the test and the
// benchmark rely on, and initialized. It returns the server's version, as
// its serverInfo gives it.
func (s *Server) Initialize(ctx context.Context, root string) (string, error) {
	params := map[string]any{
		"processId": nil,
		"rootUri":   URI(root),
		"workspaceFolders": []any{
			map[string]any{"uri": URI(root), "name": filepath.Base(root)},
		},
		"capabilities": map[string]any{
			"workspace": map[string]any{
				"configuration":          true,
				"didChangeConfiguration": map[string]any{"dynamicRegistration": true},
				"workspaceEdit":          map[string]any{"documentChanges": true},
			},
			"textDocument": map[string]any{
				"publishDiagnostics": map[string]any{"versionSupport": true, "codeDescriptionSupport": true, "dataSupport": true},
				"codeAction": map[string]any{
					"codeActionLiteralSupport": map[string]any{
						"codeActionKind": map[string]any{"valueSet": []string{"quickfix", "refactor", "source"}},
					},
				},
				"synchronization": map[string]any{"didSave": true},
			},
			"window": map[string]any{"workDoneProgress": true},
		},
	}
	var result struct {
		ServerInfo struct{ Name, Version string }
	}
	if err := s.Call(ctx, "initialize", params, &result); err != nil {
		return "", err
	}
	if err := s.Notify("initialized", struct{}{}); err != nil {
		return "", err
	}
	return result.ServerInfo.Version, nil
}

// Open sends didOpen for the file name with text.
func (s *Server) Open(name, text string) error {
	return s.Notify("textDocument/didOpen", map[string]any{
		"textDocument": map[string]any{"uri": URI(name), "languageId": "go", "version": 1, "text": text},
	})
}

// Change sends didChange: the whole new text of name, at version.
func (s *Server) Change(name string, version int, text string) error {
	return s.Notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": URI(name), "version": version},
		"contentChanges": []any{map[string]any{"text": text}},
	})
}

// CodeActions asks for the quick fixes of d in name.
func (s *Server) CodeActions(ctx context.Context, name string, d Diagnostic) ([]CodeAction, error) {
	var actions []CodeAction
	err := s.Call(ctx, "textDocument/codeAction", map[string]any{
		"textDocument": map[string]any{"uri": URI(name)},
		"range":        d.Range,
		"context":      map[string]any{"diagnostics": []Diagnostic{d}, "only": []string{"quickfix"}, "triggerKind": 1},
	}, &actions)
	return actions, err
}

// Close shuts the server down as an editor does (shutdown, then exit) and
// waits for it to end, killing it if it has not ended within the grace
// period. It returns an error if the server did not end by itself, or
// ended with a failure.
func (s *Server) Close(grace time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	shutdownErr := s.Call(ctx, "shutdown", nil, nil)
	_ = s.Notify("exit", nil) // a server that stopped reading is killed below
	_ = s.stdin.Close()
	exited := make(chan error, 1)
	go func() { exited <- s.cmd.Wait() }()
	select {
	case err := <-exited:
		<-s.done
		if shutdownErr != nil {
			return shutdownErr
		}
		return err
	case <-ctx.Done():
		_ = s.cmd.Process.Kill()
		<-exited
		<-s.done
		return fmt.Errorf("server did not exit within %v of shutdown (killed)", grace)
	}
}

// MaxRSS returns the peak resident set size of the server process, once
// Close has returned, or 0 where the system does not say.
func (s *Server) MaxRSS() int64 {
	if s.cmd.ProcessState == nil {
		return 0
	}
	return maxRSS(s.cmd.ProcessState)
}

// CPUTime returns the user and system CPU time of the server process,
// once Close has returned.
func (s *Server) CPUTime() time.Duration {
	if s.cmd.ProcessState == nil {
		return 0
	}
	return s.cmd.ProcessState.UserTime() + s.cmd.ProcessState.SystemTime()
}

// URI returns the file URI of a path.
func URI(path string) string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}).String()
}

// Apply returns text with edits applied. Positions are UTF-16 offsets;
// edits must not overlap, and insertions at one place keep their order.
func Apply(text string, edits []TextEdit) (string, error) {
	lines := lineStarts(text)
	type span struct {
		start, end int
		text       string
	}
	var spans []span
	for _, e := range edits {
		start, err := offset(text, lines, e.Range.Start)
		if err != nil {
			return "", err
		}
		end, err := offset(text, lines, e.Range.End)
		if err != nil {
			return "", err
		}
		spans = append(spans, span{start, end, e.NewText})
	}
	slices.SortStableFunc(spans, func(a, b span) int { return cmp.Compare(a.start, b.start) })
	var b strings.Builder
	last := 0
	for _, sp := range spans {
		if sp.start < last || sp.end < sp.start {
			return "", fmt.Errorf("overlapping or inverted edits")
		}
		b.WriteString(text[last:sp.start])
		b.WriteString(sp.text)
		last = sp.end
	}
	b.WriteString(text[last:])
	return b.String(), nil
}

func lineStarts(text string) []int {
	starts := []int{0}
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// offset converts p to a byte offset in text. The fixtures are ASCII, so
// a UTF-16 offset is a byte offset; other text is an error.
func offset(text string, lines []int, p Position) (int, error) {
	if p.Line >= len(lines) {
		if p.Line == len(lines) && p.Character == 0 {
			return len(text), nil
		}
		return 0, fmt.Errorf("position %d:%d is past the end", p.Line, p.Character)
	}
	off := lines[p.Line] + p.Character
	end := len(text)
	if p.Line+1 < len(lines) {
		end = lines[p.Line+1]
	}
	if off > end {
		return 0, fmt.Errorf("position %d:%d is past its line", p.Line, p.Character)
	}
	for i := lines[p.Line]; i < off; i++ {
		if text[i] >= 0x80 {
			return 0, fmt.Errorf("line %d is not ASCII", p.Line)
		}
	}
	return off, nil
}

// syncBuffer is a bytes.Buffer safe for the process's writes and the
// test's reads.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
