package desk

import (
	"bytes"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/bulletin"
)

// TestSignBulletinFromIsSignBulletin: a bulletin signed as a stream
// (SignBulletinFrom, what a hub does) gives the signature file SignBulletin
// gives at the same moment, byte for byte; it verifies from the file, and a
// flipped byte of the file is refused as tampered.
func TestSignBulletinFromIsSignBulletin(t *testing.T) {
	a, _, c, file, _ := sigNetwork(t)
	at := time.Unix(1700000100, 0)
	want, err := c.SignBulletin(file, "bulletin.csv", at)
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.SignBulletinFrom(bytes.NewReader(file), "bulletin.csv", at)
	if err != nil {
		t.Fatalf("SignBulletinFrom = %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("SignBulletinFrom gave %d bytes, not SignBulletin's %d", len(got), len(want))
	}
	n, _ := a.Store().Network()
	if _, err := bulletin.Verify(file, got, bulletin.VerifyOptions{Network: n.ID}); err != nil {
		t.Errorf("Verify of the streamed signature = %v", err)
	}
	flipped := bytes.Clone(file)
	flipped[len(flipped)/3] ^= 0x01
	_, err = bulletin.Verify(flipped, got, bulletin.VerifyOptions{})
	wantRefused(t, "a flipped byte", err, bulletin.ReasonTampered, "SHA-256")
}
