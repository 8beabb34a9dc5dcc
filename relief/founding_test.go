package relief

import (
	"errors"
	"strings"
	"testing"
)

func TestFoundBindsNetworkToFounder(t *testing.T) {
	nonce := []byte("0123456789abcdef")
	op, id, err := Found(coord, "C", nonce)
	if err != nil {
		t.Fatalf("Found = %v", err)
	}
	if err := ValidateOp(op); err != nil {
		t.Fatalf("ValidateOp(Found's genesis) = %v", err)
	}
	if got, err := GenesisNetwork(op); err != nil || got != id {
		t.Errorf("GenesisNetwork(Found's genesis) = %q, %v; want %q", got, err, id)
	}
	if len(id) != 26 || strings.ToLower(id) != id {
		t.Errorf("network id %q; want 26 lower-case base32 characters", id)
	}
	others := map[string]string{
		"another founder":     NetworkID(nobody, nonce),
		"another nonce":       NetworkID(coord, []byte("0123456789abcdeF")),
		"no nonce":            NetworkID(coord, nil),
		"nonce moved to name": must3(Found(coord, "C0123456789abcdef", nil)),
	}
	for name, other := range others {
		if other == id {
			t.Errorf("%s gives the same network id %s", name, id)
		}
	}
	if got, _ := GenesisNetwork(must(Genesis(coord, "C"))); got != NetworkID(coord, nil) {
		t.Errorf("GenesisNetwork(Genesis) = %s; want NetworkID(founder, nil) %s", got, NetworkID(coord, nil))
	}
}

func TestNonceOnlyOnGenesis(t *testing.T) {
	if _, _, err := Found(coord, "C", make([]byte, MaxNonceLen+1)); !errors.Is(err, ErrInvalidOp) {
		t.Errorf("Found(nonce of %d bytes) = %v; want ErrInvalidOp", MaxNonceLen+1, err)
	}
	if _, err := makeOp(KindMember, vol.String(), OpEndorse, Args{Role: RoleVolunteer, Name: "V", Nonce: []byte{1}}); !errors.Is(err, ErrInvalidOp) {
		t.Errorf("an endorse op with a nonce: %v; want ErrInvalidOp", err)
	}
	if _, err := GenesisNetwork(must(Endorse(vol, RoleVolunteer, "V"))); !errors.Is(err, ErrNotGenesis) {
		t.Errorf("GenesisNetwork(endorse) = %v; want ErrNotGenesis", err)
	}
}

func must3(op any, id string, err error) string {
	if err != nil {
		panic(err)
	}
	return id
}
