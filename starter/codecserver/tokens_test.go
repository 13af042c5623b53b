package codecserver_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/shopflow/shopflow/starter/codecserver"
)

func TestTokensFromEnv(t *testing.T) {
	t.Setenv(codecserver.EnvTokens, " first-token-0123456789 , second-token-0123456789 ")
	got, err := codecserver.TokensFromEnv()
	if err != nil || !slices.Equal(got, []string{"first-token-0123456789", "second-token-0123456789"}) {
		t.Fatalf("TokensFromEnv = %q, %v", got, err)
	}

	file := filepath.Join(t.TempDir(), "tokens")
	if err := os.WriteFile(file, []byte("from-a-file-0123456789\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(codecserver.EnvTokens, "")
	t.Setenv(codecserver.EnvTokensFile, file)
	if got, err := codecserver.TokensFromEnv(); err != nil || !slices.Equal(got, []string{"from-a-file-0123456789"}) {
		t.Fatalf("TokensFromEnv from a file = %q, %v", got, err)
	}

	for _, bad := range []string{"", "short"} {
		t.Setenv(codecserver.EnvTokensFile, "")
		t.Setenv(codecserver.EnvTokens, bad)
		if _, err := codecserver.TokensFromEnv(); err == nil {
			t.Errorf("tokens %q accepted", bad)
		}
	}
}
