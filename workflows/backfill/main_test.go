package backfill_test

import (
	"os"
	"testing"

	"github.com/shopflow/shopflow/internal/testenv"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }
