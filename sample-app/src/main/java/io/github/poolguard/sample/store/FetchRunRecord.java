package io.github.poolguard.sample.store;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A fetch run as recorded in the database, read through JPA.
 */
@Entity
@Table(name = "fetch_run")
public class FetchRunRecord {

	@Id
	private Long id;

	@Column(name = "started_at")
	private Instant startedAt;

	@Column(name = "finished_at")
	private Instant finishedAt;

	private String state;

	@Column(name = "force_full")
	private boolean forceFull;

	@Column(name = "use_brapi")
	private boolean useBrapi;

	@Column(name = "tickers_total")
	private int tickersTotal;

	private int ok;

	private int failed;

	@Column(name = "not_run")
	private int notRun;

	@Column(name = "rows_written")
	private long rowsWritten;

	@Column(name = "up_to_date")
	private int upToDate;

	protected FetchRunRecord() {
	}

	public Long getId() {
		return this.id;
	}

	public Instant getStartedAt() {
		return this.startedAt;
	}

	public Instant getFinishedAt() {
		return this.finishedAt;
	}

	public String getState() {
		return this.state;
	}

	public boolean isForceFull() {
		return this.forceFull;
	}

	public boolean isUseBrapi() {
		return this.useBrapi;
	}

	public int getTickersTotal() {
		return this.tickersTotal;
	}

	public int getOk() {
		return this.ok;
	}

	public int getFailed() {
		return this.failed;
	}

	public int getNotRun() {
		return this.notRun;
	}

	public int getUpToDate() {
		return this.upToDate;
	}

	public long getRowsWritten() {
		return this.rowsWritten;
	}

}
