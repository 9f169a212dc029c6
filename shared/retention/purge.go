package retention

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"github.com/rs/zerolog"

	"github.com/signpost/signpost/shared/policy"
	"github.com/signpost/signpost/shared/store"
)

// batchSize items are anonymised per transaction, so a first purge of years of content neither
// holds locks for long nor builds one huge transaction.
const batchSize = 500

// Purger anonymises patient content older than each organisation's retention period.
type Purger struct {
	DB       *sqlx.DB
	Policies *policy.Set
	Log      zerolog.Logger
	Now      func() time.Time
	// Every is the pause between purges (Run); 0 means a day.
	Every time.Duration
}

// Purged counts the items anonymised, per organisation.
type Purged map[string]int

// Total is the number of items anonymised.
func (p Purged) Total() int {
	n := 0
	for _, c := range p {
		n += c
	}
	return n
}

// Purge anonymises every item (and its rows in every table) received and last written before its
// organisation's cutoff, in batches, and returns how many per organisation. An item is purged
// once: items.purged_at records when.
func (p *Purger) Purge(ctx context.Context) (Purged, error) {
	now := time.Now
	if p.Now != nil {
		now = p.Now
	}
	c := CutoffsAt(p.Policies, now())
	orgs := slices.Sorted(maps.Keys(c.ByOrganisation))
	befores := make([]string, len(orgs))
	for i, o := range orgs {
		befores[i] = c.ByOrganisation[o].Format(time.RFC3339Nano)
	}
	done := Purged{}
	for {
		var batch []struct {
			ID           uuid.UUID `db:"id"`
			Organisation string    `db:"organisation"`
		}
		err := store.InTx(ctx, p.DB, func(tx *sqlx.Tx) error {
			if err := tx.SelectContext(ctx, &batch, `
				SELECT i.id, i.organisation FROM items i
				LEFT JOIN unnest($1::text[], $2::timestamptz[]) AS c(organisation, before) USING (organisation)
				WHERE i.purged_at IS NULL
				  AND i.received_at < coalesce(c.before, $3) AND i.written_at < coalesce(c.before, $3)
				ORDER BY i.received_at LIMIT $4
				FOR UPDATE OF i SKIP LOCKED`, pq.Array(orgs), pq.Array(befores), c.Others, batchSize); err != nil {
				return fmt.Errorf("find items past their retention period: %w", err)
			}
			if len(batch) == 0 {
				return nil
			}
			ids := make([]string, len(batch))
			for i, b := range batch {
				ids[i] = b.ID.String()
			}
			return anonymise(ctx, tx, ids)
		})
		if err != nil {
			return done, err
		}
		for _, b := range batch {
			done[b.Organisation]++
		}
		if len(batch) < batchSize {
			return done, nil
		}
	}
}

// anonymise blanks the items' patient content in every table, having first stopped work that
// would still use it.
func anonymise(ctx context.Context, tx *sqlx.Tx, ids []string) error {
	for _, t := range patientContent {
		sets := make([]string, 0, len(t.blank)+1)
		for _, col := range slices.Sorted(maps.Keys(t.blank)) {
			sets = append(sets, col+" = "+t.blank[col])
		}
		if t.name == "items" {
			sets = append(sets, "purged_at = now()")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE `+t.name+` SET `+strings.Join(sets, ", ")+` WHERE `+t.key+` = ANY($1::uuid[])`,
			pq.Array(ids)); err != nil {
			return fmt.Errorf("anonymise %s: %w", t.name, err)
		}
		if t.unfinished != "" {
			if _, err := tx.ExecContext(ctx, `UPDATE `+t.name+` SET `+t.finish+` WHERE `+t.key+` = ANY($1::uuid[]) AND `+t.unfinished,
				pq.Array(ids)); err != nil {
				return fmt.Errorf("stop unfinished %s: %w", t.name, err)
			}
		}
	}
	return nil
}

// Run purges now and then every p.Every (a day by default) until ctx ends; a purge that fails is
// logged and tried again at the next turn. Register it with boot.System.Background.
func (p *Purger) Run(ctx context.Context) error {
	every := p.Every
	if every <= 0 {
		every = 24 * time.Hour
	}
	for {
		purged, err := p.Purge(ctx)
		switch {
		case ctx.Err() != nil:
			return nil
		case err != nil:
			p.Log.Error().Err(err).Int("items", purged.Total()).Msg("retention purge failed; trying again at the next turn")
		case purged.Total() > 0:
			for org, n := range purged {
				p.Log.Info().Str("organisation", org).Int("items", n).Msg("patient content past its retention period anonymised")
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(every):
		}
	}
}
