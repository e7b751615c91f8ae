package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/rekam-ktp/rekam/enroll/wilayah"
)

// ImportRegions replaces the region master data with regs in one
// transaction: either the whole new set is visible or the old one stays.
// Region codes are not personal data, so no session is needed; the import
// is audited as the station's own action.
func (s *Store) ImportRegions(ctx context.Context, regs []wilayah.Region) (int, error) {
	seen := make(map[string]struct{}, len(regs))
	for i, r := range regs {
		if err := checkRegion(r); err != nil {
			return 0, fmt.Errorf("import regions: row %d: %w", i+1, err)
		}
		if _, dup := seen[r.Code]; dup {
			return 0, fmt.Errorf("import regions: row %d: code %s appears twice", i+1, r.Code)
		}
		seen[r.Code] = struct{}{}
	}
	err := s.write(ctx, func(tx *wtx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM regions`); err != nil {
			return fmt.Errorf("import regions: %w", err)
		}
		st, err := tx.PrepareContext(ctx, `INSERT INTO regions (code, parent, name, level) VALUES (?, ?, ?, ?)`)
		if err != nil {
			return fmt.Errorf("import regions: %w", err)
		}
		defer st.Close()
		for _, r := range regs {
			if _, err := st.ExecContext(ctx, r.Code, r.Parent(), r.Name, int(r.Level)); err != nil {
				return fmt.Errorf("import regions: %s: %w", r.Code, err)
			}
		}
		return tx.audit("station", "masterdata.import", "regions:all", fmt.Sprintf("n=%d", len(regs)))
	})
	if err != nil {
		return 0, err
	}
	return len(regs), nil
}

// checkRegion validates a region's code shape against its level.
func checkRegion(r wilayah.Region) error {
	if r.Level < wilayah.Provinsi || r.Level > wilayah.Desa {
		return fmt.Errorf("code %q: level %d outside 1..4", r.Code, r.Level)
	}
	parts := strings.Split(r.Code, ".")
	if len(parts) != int(r.Level) {
		return fmt.Errorf("code %q has %d parts, level %d wants %d", r.Code, len(parts), r.Level, r.Level)
	}
	for _, p := range parts {
		if p == "" || strings.Trim(p, "0123456789") != "" {
			return fmt.Errorf("code %q: parts must be digits", r.Code)
		}
	}
	if strings.TrimSpace(r.Name) == "" {
		return fmt.Errorf("code %q: empty name", r.Code)
	}
	return nil
}

// Region returns the region with a dotted code.
func (s *Store) Region(ctx context.Context, code string) (wilayah.Region, error) {
	r := wilayah.Region{Code: code}
	err := s.qRegion.QueryRowContext(ctx, code).Scan(&r.Name, &r.Level)
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("region %s: %w", code, ErrNotFound)
	}
	if err != nil {
		return r, fmt.Errorf("region %s: %w", code, err)
	}
	return r, nil
}

// RegionChildren returns the regions one level below parent, by code; ""
// gives the provinces.
func (s *Store) RegionChildren(ctx context.Context, parent string) ([]wilayah.Region, error) {
	rows, err := s.qChildren.QueryContext(ctx, parent)
	if err != nil {
		return nil, fmt.Errorf("regions under %q: %w", parent, err)
	}
	defer rows.Close()
	var out []wilayah.Region
	for rows.Next() {
		var r wilayah.Region
		if err := rows.Scan(&r.Code, &r.Name, &r.Level); err != nil {
			return nil, fmt.Errorf("regions under %q: %w", parent, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// RegionCount returns how many regions are stored.
func (s *Store) RegionCount(ctx context.Context) (int, error) {
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM regions`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count regions: %w", err)
	}
	return n, nil
}

// RegionChecker answers the NIK parser's region questions (it satisfies
// nik.Regions) and names regions, from the station's imported master data.
// Codes the master data lacks are unknown; the store keeps no historic
// codes.
type RegionChecker struct {
	ctx context.Context
	s   *Store
}

// RegionChecker returns the store's region checker for lookups under ctx.
func (s *Store) RegionChecker(ctx context.Context) RegionChecker {
	return RegionChecker{ctx: ctx, s: s}
}

// Province reports whether a two-digit province code is in the master data.
func (r RegionChecker) Province(code string) bool {
	_, err := r.s.Region(r.ctx, code)
	return err == nil
}

// Region reports whether a dotted code is in the master data.
func (r RegionChecker) Region(code string) (known, historic bool) {
	_, err := r.s.Region(r.ctx, code)
	return err == nil, false
}

// Name returns a dotted code's name.
func (r RegionChecker) Name(code string) (string, bool) {
	reg, err := r.s.Region(r.ctx, code)
	if err != nil {
		return "", false
	}
	return reg.Name, true
}
