package storagetest

import (
	"testing"

	"kessai/server/domain"
)

func testSubscriptions(t *testing.T, st domain.Storage) {}
