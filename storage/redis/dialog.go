package redis

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/orderbot/orderbot/core"
)

// FirstSeen reports whether Telegram update updateID is new, marking it seen
// for ttl: true the first time only, so a redelivered update is dropped
// (DESIGN invariant 5). ttl should outlast Telegram's redelivery window.
func (s *Store) FirstSeen(ctx context.Context, updateID int64, ttl time.Duration) (bool, error) {
	first, err := s.setNX(ctx, s.key("update", strconv.FormatInt(updateID, 10)), ttl)
	if err != nil {
		return false, fmt.Errorf("mark update %d seen: %w", updateID, err)
	}
	return first, nil
}

// Forget unmarks updateID, for when handling failed before anything changed
// and the redelivered update should be processed after all.
func (s *Store) Forget(ctx context.Context, updateID int64) error {
	if err := s.rdb.Del(ctx, s.key("update", strconv.FormatInt(updateID, 10))).Err(); err != nil {
		return fmt.Errorf("forget update %d: %w", updateID, interpretError(err))
	}
	return nil
}

// Once reports whether this is the first call with key within ttl, for jobs
// and alerts that must happen at most once per period across replicas.
func (s *Store) Once(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	if key == "" {
		return false, core.Errorf(core.ErrInvalid, "once key is empty")
	}
	first, err := s.setNX(ctx, s.key("once", key), ttl)
	if err != nil {
		return false, fmt.Errorf("once %q: %w", key, err)
	}
	return first, nil
}

// setNX sets key if absent, with a TTL; true when it did.
func (s *Store) setNX(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	if _, err := ttlArg("marker", ttl); err != nil {
		return false, err
	}
	ok, err := s.rdb.SetNX(ctx, key, "1", ttl).Result()
	return ok, interpretError(err)
}

// SaveDialog stores v as JSON as the dialog state of chatID for ttl; a
// conversation left alone that long starts over.
func (s *Store) SaveDialog(ctx context.Context, chatID int64, v any, ttl time.Duration) error {
	if _, err := ttlArg("dialog", ttl); err != nil {
		return err
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode dialog of chat %d: %w", chatID, err)
	}
	if err := s.rdb.Set(ctx, s.dialogKey(chatID), b, ttl).Err(); err != nil {
		return fmt.Errorf("save dialog of chat %d: %w", chatID, interpretError(err))
	}
	return nil
}

// LoadDialog decodes the dialog state of chatID into v; found is false (and
// v untouched) when there is none, or it expired.
func (s *Store) LoadDialog(ctx context.Context, chatID int64, v any) (found bool, err error) {
	b, err := s.rdb.Get(ctx, s.dialogKey(chatID)).Bytes()
	if err = interpretError(err); errors.Is(err, core.ErrNotFound) {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("load dialog of chat %d: %w", chatID, err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return false, fmt.Errorf("decode dialog of chat %d: %w", chatID, err)
	}
	return true, nil
}

// ClearDialog ends the dialog of chatID.
func (s *Store) ClearDialog(ctx context.Context, chatID int64) error {
	if err := s.rdb.Del(ctx, s.dialogKey(chatID)).Err(); err != nil {
		return fmt.Errorf("clear dialog of chat %d: %w", chatID, interpretError(err))
	}
	return nil
}

func (s *Store) dialogKey(chatID int64) string {
	return s.key("dialog", strconv.FormatInt(chatID, 10))
}

// SetLang records the language userID chose, kept for the language TTL
// (default 365 days, renewed on every choice); "" removes the override.
func (s *Store) SetLang(ctx context.Context, userID int64, lang string) error {
	var err error
	if lang == "" {
		err = s.rdb.Del(ctx, s.langKey(userID)).Err()
	} else {
		err = s.rdb.Set(ctx, s.langKey(userID), lang, s.langTTL).Err()
	}
	if err != nil {
		return fmt.Errorf("set language of user %d: %w", userID, interpretError(err))
	}
	return nil
}

// Lang returns the language userID chose, or "" when they chose none and the
// default applies.
func (s *Store) Lang(ctx context.Context, userID int64) (string, error) {
	lang, err := s.rdb.Get(ctx, s.langKey(userID)).Result()
	if err = interpretError(err); errors.Is(err, core.ErrNotFound) {
		return "", nil
	} else if err != nil {
		return "", fmt.Errorf("read language of user %d: %w", userID, err)
	}
	return lang, nil
}

func (s *Store) langKey(userID int64) string {
	return s.key("lang", strconv.FormatInt(userID, 10))
}
