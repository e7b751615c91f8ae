// Package client is the station's side of the sync protocol: registration,
// and the resumable, idempotent upload of sealed packets that ends only with
// a receipt signed by the national server.
package client

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/rekam-ktp/rekam/sync/proto"
	"github.com/rekam-ktp/rekam/sync/receipt"
)

// Client uploads packets to one national server.
type Client struct {
	// BaseURL is the server's https:// address.
	BaseURL string
	// HTTP carries the station's mutual-TLS configuration.
	HTTP *http.Client
	// ReceiptKey verifies the server's receipts.
	ReceiptKey ed25519.PublicKey
	// StallTimeout ends an attempt that makes no progress for this long.
	StallTimeout time.Duration
	// MaxAttempts bounds the attempts per packet (0 = 50).
	MaxAttempts int
	// Backoff is the pause between attempts after a transient failure.
	Backoff time.Duration
	// Limit caps the upload bandwidth (nil: no cap).
	Limit *RateLimit

	sent atomic.Int64
}

// New builds a client with mutual TLS from PEM material.
func New(baseURL string, caPEM, certPEM, keyPEM []byte, receiptKey ed25519.PublicKey) (*Client, error) {
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		return nil, errors.New("sync client: no CA certificate")
	}
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return nil, fmt.Errorf("sync client: station certificate: %w", err)
	}
	tr := &http.Transport{
		TLSClientConfig:       &tls.Config{RootCAs: pool, Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS13},
		ResponseHeaderTimeout: 30 * time.Second,
		IdleConnTimeout:       30 * time.Second,
	}
	return &Client{BaseURL: baseURL, HTTP: &http.Client{Transport: tr}, ReceiptKey: receiptKey}, nil
}

// BytesSent is the number of packet bytes this client has put on the wire,
// counting every byte of every attempt (resends included).
func (c *Client) BytesSent() int64 { return c.sent.Load() }

// RejectedError is a packet the server refused for good.
type RejectedError struct{ proto.Rejection }

func (e *RejectedError) Error() string {
	if e.Part != "" {
		return fmt.Sprintf("server rejected the packet (%s): %s", e.Part, e.Reason)
	}
	return "server rejected the packet: " + e.Reason
}

// Upload sends the packet file at path (named by its content hash) for an
// enrollment and returns the server's verified receipt. It resumes from the
// offset the server has committed after any failure; a packet the server
// already holds returns its receipt at once.
func (c *Client) Upload(ctx context.Context, name, path, enrollmentID string) (receipt.Signed, receipt.Receipt, error) {
	f, err := os.Open(path)
	if err != nil {
		return receipt.Signed{}, receipt.Receipt{}, fmt.Errorf("upload %s: %w", name, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return receipt.Signed{}, receipt.Receipt{}, fmt.Errorf("upload %s: %w", name, err)
	}
	size := fi.Size()
	attempts := c.MaxAttempts
	if attempts == 0 {
		attempts = 50
	}
	var lastErr error
	for i := 0; i < attempts; i++ {
		// Each packet and each retry starts on a fresh connection, so a
		// broken one is never reused.
		c.HTTP.CloseIdleConnections()
		if i > 0 {
			select {
			case <-ctx.Done():
				return receipt.Signed{}, receipt.Receipt{}, ctx.Err()
			case <-time.After(c.Backoff):
			}
		}
		sg, r, err := c.attempt(ctx, name, f, size, enrollmentID)
		if err == nil {
			return sg, r, nil
		}
		var rej *RejectedError
		if errors.As(err, &rej) && rej.Permanent {
			return receipt.Signed{}, receipt.Receipt{}, err
		}
		if ctx.Err() != nil {
			return receipt.Signed{}, receipt.Receipt{}, ctx.Err()
		}
		lastErr = err
	}
	return receipt.Signed{}, receipt.Receipt{}, fmt.Errorf("upload %s: gave up after %d attempts: %w", name[:12], attempts, lastErr)
}

func (c *Client) attempt(ctx context.Context, name string, f *os.File, size int64, enrollmentID string) (receipt.Signed, receipt.Receipt, error) {
	var prog proto.Progress
	if err := c.call(ctx, http.MethodPost, proto.PathAnnounce, proto.Announce{Packet: name, Size: size, EnrollmentID: enrollmentID}, &prog); err != nil {
		return receipt.Signed{}, receipt.Receipt{}, err
	}
	for prog.Receipt == "" && prog.Offset < size {
		next, err := c.put(ctx, name, f, prog.Offset, size)
		if err != nil {
			return receipt.Signed{}, receipt.Receipt{}, err
		}
		prog = next
	}
	if prog.Receipt == "" {
		if err := c.call(ctx, http.MethodPost, proto.PathFinalize+name, nil, &prog); err != nil {
			return receipt.Signed{}, receipt.Receipt{}, err
		}
	}
	return c.verify(name, enrollmentID, prog.Receipt)
}

func (c *Client) verify(name, enrollmentID, text string) (receipt.Signed, receipt.Receipt, error) {
	sg, err := receipt.Decode(text)
	if err != nil {
		return sg, receipt.Receipt{}, err
	}
	r, err := sg.Verify(c.ReceiptKey)
	if err != nil {
		return sg, r, err
	}
	if r.Packet != name || r.EnrollmentID != enrollmentID {
		return sg, r, fmt.Errorf("receipt is for packet %s / enrollment %s, not this one", r.Packet[:12], r.EnrollmentID)
	}
	return sg, r, nil
}

// put streams the file from offset; a watchdog cancels the request when no
// byte moves for StallTimeout.
func (c *Client) put(ctx context.Context, name string, f *os.File, offset, size int64) (proto.Progress, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	body := &countingReader{r: io.NewSectionReader(f, offset, size-offset), sent: &c.sent, ctx: ctx, limit: c.Limit}
	body.touch()
	stall := c.StallTimeout
	if stall == 0 {
		stall = 5 * time.Second
	}
	done := make(chan struct{})
	defer close(done)
	go func() {
		t := time.NewTicker(stall / 4)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if time.Since(body.last()) > stall {
					cancel()
					return
				}
			}
		}
	}()
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, c.BaseURL+proto.PathUpload+name+"?offset="+strconv.FormatInt(offset, 10), body)
	if err != nil {
		return proto.Progress{}, err
	}
	req.ContentLength = size - offset
	var prog proto.Progress
	if err := c.do(req, &prog); err != nil {
		return prog, err
	}
	return prog, nil
}

func (c *Client) call(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, c.BaseURL+path, body)
	if err != nil {
		return err
	}
	return c.do(req, out)
}

func (c *Client) do(req *http.Request, out any) error {
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusOK:
		return json.NewDecoder(io.LimitReader(resp.Body, proto.MaxBody)).Decode(out)
	case resp.StatusCode == http.StatusConflict:
		// A 409 with a progress body tells the client where to resume.
		b, _ := io.ReadAll(io.LimitReader(resp.Body, proto.MaxBody))
		var prog proto.Progress
		if err := json.Unmarshal(b, &prog); err == nil && !bytes.Contains(b, []byte(`"reason"`)) {
			if p, ok := out.(*proto.Progress); ok {
				*p = prog
				return nil
			}
		}
		var rej proto.Rejection
		_ = json.Unmarshal(b, &rej)
		return &RejectedError{rej}
	default:
		var rej proto.Rejection
		if err := json.NewDecoder(io.LimitReader(resp.Body, proto.MaxBody)).Decode(&rej); err != nil || rej.Reason == "" {
			rej = proto.Rejection{Reason: resp.Status}
		}
		return &RejectedError{rej}
	}
}

type countingReader struct {
	r     io.Reader
	sent  *atomic.Int64
	at    atomic.Int64
	ctx   context.Context
	limit *RateLimit
}

func (c *countingReader) touch()          { c.at.Store(time.Now().UnixNano()) }
func (c *countingReader) last() time.Time { return time.Unix(0, c.at.Load()) }

func (c *countingReader) Read(p []byte) (int, error) {
	if c.limit != nil {
		p = p[:min(len(p), 16<<10)]
		if err := c.limit.wait(c.ctx, len(p)); err != nil {
			return 0, err
		}
	}
	n, err := c.r.Read(p)
	c.sent.Add(int64(n))
	c.touch()
	return n, err
}

// Status pulls the centre's decisions after the cursor since.
func (c *Client) Status(ctx context.Context, since int64) (proto.StatusPage, error) {
	var page proto.StatusPage
	err := c.call(ctx, http.MethodGet, proto.PathStatus+"?since="+strconv.FormatInt(since, 10), nil, &page)
	return page, err
}
