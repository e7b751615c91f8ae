package receipt

import (
	"fmt"
	"path/filepath"
)

// Dir is the folder under the station's data folder that saved receipts
// go to.
const Dir = "receipts"

// Path is where the station keeps the saved PDF of an enrollment's
// receipt: <dataDir>/receipts/receipt-<station>-<id>.pdf. The name holds no
// personal data; the file does (the resident's name), so the retention
// purge removes it with the enrollment's biodata.
func Path(dataDir, stationID string, enrollmentID int64) string {
	return filepath.Join(dataDir, Dir, fmt.Sprintf("receipt-%s-%d.pdf", stationID, enrollmentID))
}
