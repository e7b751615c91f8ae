package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/rekam-ktp/rekam/sync/feed"
	"github.com/rekam-ktp/rekam/sync/proto"
)

// Feed fetches the current document of a kind unless the station already
// holds version have; it returns nil with no error when nothing changed.
// The document is verified (server signature, kind, expiry) before it is
// returned. Feed never touches packet upload: a failing feed cannot block
// the outbox.
func (c *Client) Feed(ctx context.Context, kind string, have int64, now time.Time) (*feed.Document, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.BaseURL+proto.PathFeed+kind+"?have="+strconv.FormatInt(have, 10), nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return nil, fmt.Errorf("feed %s: %w", kind, err)
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusNotModified:
		return nil, nil
	case http.StatusOK:
	default:
		return nil, fmt.Errorf("feed %s: %s", kind, resp.Status)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, feed.MaxDocument+1))
	if err != nil {
		return nil, fmt.Errorf("feed %s: %w", kind, err)
	}
	d, err := feed.Parse(b)
	if err != nil {
		return nil, err
	}
	if err := d.Verify(c.ReceiptKey, kind, now); err != nil {
		return nil, err
	}
	return d, nil
}

// ErrNoResident is returned when the centre holds no record for a NIK.
var ErrNoResident = errors.New("NIK not in the national register")

// LookupResident calls up a resident's SIAK biodata (JSON) by NIK.
func (c *Client) LookupResident(ctx context.Context, nik string) (json.RawMessage, error) {
	var bio json.RawMessage
	err := c.call(ctx, http.MethodPost, proto.PathResident, proto.ResidentQuery{NIK: nik}, &bio)
	var rej *RejectedError
	if errors.As(err, &rej) && rej.Reason == "NIK not in SIAK" {
		return nil, ErrNoResident
	}
	return bio, err
}
