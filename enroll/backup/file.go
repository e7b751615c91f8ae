package backup

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/rekam-ktp/rekam/enroll/keys"
	"github.com/rekam-ktp/rekam/internal/atomicfile"
)

// WriteFile encrypts the database copy at dbCopy into a backup at path,
// atomically: a crash leaves either no file or a complete one.
func WriteFile(path, dbCopy string, k *keys.Keys, wrapped []byte, now time.Time) error {
	src, err := os.Open(dbCopy)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer src.Close()
	return atomicfile.Write(path, 0o600, func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 1<<20)
		if err := Write(bw, src, k, wrapped, now); err != nil {
			return err
		}
		return bw.Flush()
	})
}

// RestoreFile checks and decrypts the backup at path into a new file dst,
// unwrapping the station's keys with the recovery passphrase. On any error
// dst is removed; the caller then checks the database in dst before putting
// it in place.
func RestoreFile(path, passphrase, dst string) (*keys.Keys, *Header, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("restore: %w", err)
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<20)
	h, hsum, err := ReadHeader(r)
	if err != nil {
		return nil, nil, fmt.Errorf("restore %s: %w", path, err)
	}
	k, err := keys.Unwrap(h.WrappedKeys, passphrase)
	if err != nil {
		return nil, nil, fmt.Errorf("restore %s: %w", path, err)
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("restore: %w", err)
	}
	err = Decrypt(r, h, hsum, k, out)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(dst)
		return nil, nil, fmt.Errorf("restore %s: %w", path, err)
	}
	return k, h, nil
}
