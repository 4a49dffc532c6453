package postgres

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/orderbot/orderbot/core"
)

// Generate fills an empty database with a realistic history (see
// generate_history.go): products with stock, customers on payment terms,
// orders in every state with their events, shipments, invoices (some void),
// payments (some partial, some late), allocations, the reminders sent so far
// and every open item, all as the use cases would have left them. The tests,
// the benchmarks and `orderbot generate` share it.
//
// It is one transaction: the tables are truncated (they were empty), their
// keys, indexes and triggers taken off, the rows sent with binary COPY
// FREEZE while the next batch is built, and the keys and indexes built
// after. A failure leaves the database as it was.

// GenerateOptions says what to generate.
type GenerateOptions struct {
	Orders    int
	Customers int
	Products  int    // default 300
	Seed      uint64 // the same seed and options give the same history
	// Days is how far back the history reaches (default: a shop of about
	// 2,740 orders a day, at least 180 days), ending at Now.
	Days     int
	Now      time.Time      // default time.Now()
	Location *time.Location // business time zone (default UTC)
	Currency core.Currency  // default USD
	Policy   core.ReminderPolicy
	// Opening is when the reminder job's daily run went out (default 9:00).
	Opening  time.Duration
	Progress func(GenerateProgress)
}

// GenerateProgress reports how far Generate is.
type GenerateProgress struct {
	Orders, Total int    // orders loaded so far, of Total
	Step          string // after the orders: what is being built
}

// GenerateResult counts what Generate made.
type GenerateResult struct {
	Orders, Customers, Products             int
	Events, Shipments, Invoices, Payments   int64
	OpenInvoices, AwaitingOrders, Reminders int64
	From, To                                time.Time
	Load, Build                             time.Duration // COPY; keys, indexes and commit
}

// PerDay is the default pace of a generated shop: a million orders a year.
const PerDay = 2740

// generateTables are the tables Generate fills, in an order COPY can follow.
var generateTables = []string{"price_lists", "products", "stock", "list_prices", "stock_moves", "customers", "orders", "order_lines", "order_events",
	"shipments", "shipment_lines", "returns", "return_lines", "invoices", "invoice_lines", "invoice_voids", "payments",
	"payment_reversals", "allocations", "doc_counters", "invoice_reminders", "order_event_queue", "order_cards",
	"open_invoices", "customer_balances", "awaiting_orders", "credit_notes", "credit_note_lines",
	"chat_payments", "star_refunds"} // the last ones stay empty (payments made in chat)

// notEmpty is the refusal of a database that holds anything (a conflict:
// Generate fills only an empty database).
func notEmpty(counts []string) error {
	return core.Errorf(core.ErrConflict, "the database is not empty (%s): generate fills only an empty database; "+
		"point DATABASE_URL at a new one", strings.Join(counts, ", "))
}

func (o *GenerateOptions) fill() error {
	if o.Orders < 1 || o.Customers < 1 || o.Orders > 100_000_000 || o.Customers > 10_000_000 {
		return core.Errorf(core.ErrInvalid, "want 1 to 100,000,000 orders and 1 to 10,000,000 customers")
	}
	if o.Products <= 0 {
		o.Products = 300
	}
	if o.Days <= 0 {
		o.Days = max(180, (o.Orders+PerDay-1)/PerDay)
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	if o.Location == nil {
		o.Location = time.UTC
	}
	if o.Currency.Code == "" {
		o.Currency = core.MustCurrency("USD")
	}
	if o.Policy.Before == 0 && o.Policy.After == nil {
		o.Policy = core.DefaultReminderPolicy
	}
	if o.Opening == 0 {
		o.Opening = 9 * time.Hour
	}
	if o.Progress == nil {
		o.Progress = func(GenerateProgress) {}
	}
	return o.Policy.Validate()
}

// Generate makes the history; see GenerateOptions.
func (db *DB) Generate(ctx context.Context, opt GenerateOptions) (*GenerateResult, error) {
	if err := opt.fill(); err != nil {
		return nil, err
	}
	var res *GenerateResult
	var schema *bulkSchema
	step := func(s string) { opt.Progress(GenerateProgress{Orders: opt.Orders, Total: opt.Orders, Step: s}) }
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if err := lockEmpty(ctx, tx); err != nil {
			return err
		}
		var err error
		if schema, err = takeOffSchema(ctx, tx, generateTables); err != nil {
			return err
		}
		start := time.Now()
		g := newGenerator(opt)
		if res, err = g.load(ctx, tx); err != nil {
			return err
		}
		res.Load = time.Since(start)
		start = time.Now()
		err = schema.putBack(ctx, tx, step)
		res.Build = time.Since(start)
		return err
	})
	if err != nil {
		return nil, interpretError(err)
	}
	// COPY FREEZE left every page frozen and all-visible: what is missing is
	// the check of the foreign keys and the statistics.
	start := time.Now()
	if err := schema.validateAndAnalyze(ctx, db.pool, generateTables, step); err != nil {
		return nil, interpretError(err)
	}
	res.Build += time.Since(start)
	return res, nil
}

// lockEmpty refuses a database that holds anything, first without locks
// (so that a mistaken run against a live shop stops at once and blocks
// nobody), then again under the locks it takes; and truncates the empty
// tables, so that COPY FREEZE may fill them.
func lockEmpty(ctx context.Context, tx pgx.Tx) error {
	if err := refuseData(ctx, tx); err != nil {
		return err
	}
	list := strings.Join(generateTables, ", ")
	// index builds sort in memory, foreign key checks hash in memory
	if _, err := tx.Exec(ctx, "SET LOCAL maintenance_work_mem = '1GB'; SET LOCAL work_mem = '256MB'"); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, "LOCK TABLE "+list+" IN ACCESS EXCLUSIVE MODE"); err != nil {
		return err
	}
	if err := refuseData(ctx, tx); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, "TRUNCATE "+list)
	return err
}

// refuseData names what the database holds, if anything.
func refuseData(ctx context.Context, tx pgx.Tx) error {
	var found []string
	for _, t := range []string{"products", "customers", "orders", "invoices", "payments", "stock_moves"} {
		var n int64
		if err := tx.QueryRow(ctx, "SELECT count(*) FROM "+t).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			found = append(found, fmt.Sprintf("%d %s", n, t))
		}
	}
	for _, t := range generateTables {
		var any bool
		if err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM "+t+")").Scan(&any); err != nil {
			return err
		}
		if any && len(found) == 0 {
			found = append(found, "rows in "+t)
		}
	}
	if len(found) > 0 {
		return notEmpty(found)
	}
	return nil
}

// generator builds the history in batches of orders on one goroutine while
// the other sends the previous batch.
type generator struct {
	opt       GenerateOptions
	cfg       histConfig
	ids       histIDs
	from      time.Time
	customers []core.Customer
	balances  [][2]core.Money // per customer: invoiced, paid
	shipped   []int64         // per product
	reserved  []int64
	res       GenerateResult
	pcg       *rand.PCG
	rng       *rand.Rand
	sim       orderSim
	hist      orderHistory
}

func newGenerator(opt GenerateOptions) *generator {
	g := &generator{opt: opt, ids: histIDs{invoiceYear: map[int]int64{}}, pcg: rand.NewPCG(0, 0)}
	g.rng = rand.New(g.pcg)
	g.cfg = histConfig{now: opt.Now, loc: opt.Location, cur: opt.Currency, policy: opt.Policy, opening: opt.Opening,
		today:    dateIn(opt.Now, opt.Location),
		managers: []core.Actor{{Role: core.RoleManager, UserID: 901, Name: "Mia"}, {Role: core.RoleManager, UserID: 902, Name: "Oleg"}}}
	g.from = opt.Now.Add(-time.Duration(opt.Days) * day)
	g.res = GenerateResult{Orders: opt.Orders, Customers: opt.Customers, Products: opt.Products, From: g.from, To: opt.Now}
	return g
}

// batchOrders is how many orders one COPY batch holds.
const batchOrders = 10_000

func (g *generator) load(ctx context.Context, tx pgx.Tx) (*GenerateResult, error) {
	if err := g.catalog(ctx, tx); err != nil {
		return nil, err
	}
	if _, err := tx.Exec(ctx, `UPDATE reminder_levels SET levels = $1`, g.opt.Policy.Levels()); err != nil {
		return nil, err
	}
	full, free := make(chan *genTables, 1), make(chan *genTables, 2)
	free <- newGenTables()
	free <- newGenTables()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		defer close(full)
		for first := 1; first <= g.opt.Orders; first += batchOrders {
			var t *genTables
			select {
			case t = <-free:
			case <-ctx.Done():
				return
			}
			for i := first; i < first+batchOrders && i <= g.opt.Orders; i++ {
				g.order(t, int64(i))
			}
			select {
			case full <- t:
			case <-ctx.Done():
				return
			}
		}
	}()
	done := 0
	for t := range full {
		if err := t.copyTo(ctx, tx); err != nil {
			return nil, err
		}
		done = min(done+batchOrders, g.opt.Orders)
		g.opt.Progress(GenerateProgress{Orders: done, Total: g.opt.Orders})
		free <- t
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return &g.res, g.finish(ctx, tx)
}

// order plays order i and writes what it left behind.
// Each order's random stream is seeded by the seed and the order's number,
// so a history does not depend on batches; the simulation's slices are
// reused from one order to the next (write has consumed them).
func (g *generator) order(t *genTables, i int64) {
	g.pcg.Seed(g.opt.Seed, uint64(i))
	rng := g.rng
	span := g.opt.Now.Sub(g.from)
	at := g.from.Add(time.Duration((float64(i-1) + rng.Float64()) / float64(g.opt.Orders) * float64(span)))
	f := rng.Float64()
	cust := &g.customers[int(f*f*float64(len(g.customers)))]
	h := &g.hist
	*h = orderHistory{order: core.Order{Lines: h.order.Lines[:0]}, events: h.events[:0], shipments: h.shipments[:0],
		invoices: h.invoices[:0], payments: h.payments[:0], moves: h.moves[:0], reminders: h.reminders[:0]}
	s := &g.sim
	*s = orderSim{cfg: &g.cfg, ids: &g.ids, rng: rng, cust: cust, mgr: g.cfg.managers[rng.IntN(len(g.cfg.managers))],
		h: h, queue: s.queue[:0]}
	s.simulate(i, at)
	s.run()
	s.remind()
	g.write(t, s.h)
}
