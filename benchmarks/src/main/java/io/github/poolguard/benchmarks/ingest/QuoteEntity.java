package io.github.poolguard.benchmarks.ingest;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalDate;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;

import org.springframework.data.domain.Persistable;

/**
 * The daily quote as a JPA entity, marked new so that {@code saveAll} persists instead of
 * merging (a merge would SELECT every row first).
 */
@Entity
@Table(name = "daily_quote")
@IdClass(QuoteEntity.Key.class)
public class QuoteEntity implements Persistable<QuoteEntity.Key> {

	@Id
	private String ticker;

	@Id
	@Column(name = "trade_date")
	private LocalDate tradeDate;

	private BigDecimal open;

	private BigDecimal high;

	private BigDecimal low;

	private BigDecimal close;

	@Column(name = "adjusted_close")
	private BigDecimal adjustedClose;

	private long volume;

	@Transient
	private boolean isNew = true;

	protected QuoteEntity() {
	}

	QuoteEntity(QuoteRow row) {
		this.ticker = row.ticker();
		this.tradeDate = row.date();
		this.open = row.open();
		this.high = row.high();
		this.low = row.low();
		this.close = row.close();
		this.adjustedClose = row.adjustedClose();
		this.volume = row.volume();
	}

	@Override
	public Key getId() {
		return new Key(this.ticker, this.tradeDate);
	}

	@Override
	public boolean isNew() {
		return this.isNew;
	}

	/**
	 * The key of a daily quote.
	 *
	 * @param ticker the ticker
	 * @param tradeDate the trade date
	 */
	public record Key(String ticker, LocalDate tradeDate) implements Serializable {

		public Key() {
			this(null, null);
		}

	}

}
