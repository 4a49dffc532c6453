package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/orderbot/orderbot/core"
)

// TryJobLock takes the job's advisory lock on a connection of its own, held
// until release is called (or the connection dies, when Postgres frees it):
// while one replica runs a job, the others skip it.
func (db *DB) TryJobLock(ctx context.Context, job string) (release func(), ok bool, err error) {
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return nil, false, interpretError(err)
	}
	if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock(hashtextextended('orderbot job ' || $1, 0))`, job).Scan(&ok); err != nil || !ok {
		conn.Release()
		return nil, false, interpretError(err)
	}
	release = func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := conn.Exec(ctx, `SELECT pg_advisory_unlock(hashtextextended('orderbot job ' || $1, 0))`, job); err != nil {
			conn.Conn().Close(ctx) //nolint:errcheck // closing the session frees the lock
		}
		conn.Release()
	}
	return release, true, nil
}

// ClaimRun records that a job runs for a period. It reports false when the
// period is done or running elsewhere; a failed run, or one left "running"
// since before staleBefore (its process died), is taken again.
func (db *DB) ClaimRun(ctx context.Context, job, period string, now, staleBefore time.Time) (bool, error) {
	tag, err := db.pool.Exec(ctx, `INSERT INTO job_runs (job, period, state, started_at) VALUES ($1, $2, 'running', $3)
		ON CONFLICT (job, period) DO UPDATE SET state = 'running', started_at = $3, finished_at = NULL, error = '',
			attempts = job_runs.attempts + 1
		WHERE job_runs.state = 'failed' OR (job_runs.state = 'running' AND job_runs.started_at < $4)`,
		job, period, now, staleBefore)
	if err != nil {
		return false, interpretError(err)
	}
	return tag.RowsAffected() == 1, nil
}

// FinishRun records how a run ended; runErr "" is success.
func (db *DB) FinishRun(ctx context.Context, job, period, runErr string, now time.Time) error {
	state := "done"
	if runErr != "" {
		state = "failed"
	}
	_, err := db.pool.Exec(ctx, `UPDATE job_runs SET state = $3, finished_at = $4, error = $5 WHERE job = $1 AND period = $2`,
		job, period, state, now, runErr)
	return interpretError(err)
}

// JobRun is one row of job_runs, for tests and read-outs.
type JobRun struct {
	Job, Period, State, Error string
	Attempts                  int
}

// JobRuns lists the runs of a job, oldest period first.
func (db *DB) JobRuns(ctx context.Context, job string) ([]JobRun, error) {
	rows, err := db.pool.Query(ctx, `SELECT job, period, state, error, attempts FROM job_runs WHERE job = $1 ORDER BY period`, job)
	if err != nil {
		return nil, interpretError(err)
	}
	defer rows.Close()
	var out []JobRun
	for rows.Next() {
		var r JobRun
		if err := rows.Scan(&r.Job, &r.Period, &r.State, &r.Error, &r.Attempts); err != nil {
			return nil, interpretError(err)
		}
		out = append(out, r)
	}
	return out, interpretError(rows.Err())
}

// jobStatusesSQL finds each job's latest finished run: a skip scan over the
// primary key (job, period), one short descent per job, however many
// periods have run.
const jobStatusesSQL = `
WITH RECURSIVE j AS (
    (SELECT job FROM job_runs ORDER BY job LIMIT 1)
    UNION ALL
    SELECT (SELECT r.job FROM job_runs r WHERE r.job > j.job ORDER BY r.job LIMIT 1) FROM j WHERE j.job IS NOT NULL
)
SELECT r.job, r.period, r.state = 'failed', r.error, r.attempts, coalesce(r.finished_at, r.started_at),
       (extract(epoch FROM coalesce(r.finished_at, r.started_at) - r.started_at) * 1e6)::bigint
FROM j CROSS JOIN LATERAL (
    SELECT * FROM job_runs r WHERE r.job = j.job AND r.state <> 'running' ORDER BY r.period DESC LIMIT 1) r
ORDER BY r.job`

// JobStatuses lists each job's latest finished run.
func (db *DB) JobStatuses(ctx context.Context) ([]core.JobStatus, error) {
	rows, err := db.pool.Query(ctx, jobStatusesSQL)
	if err != nil {
		return nil, interpretError(err)
	}
	return collect(rows, func(r pgx.Row) (*core.JobStatus, error) {
		var s core.JobStatus
		var us int64
		err := r.Scan(&s.Job, &s.Period, &s.Failed, &s.Error, &s.Attempts, &s.At, &us)
		s.Took = time.Duration(us) * time.Microsecond
		return &s, interpretError(err)
	})
}
