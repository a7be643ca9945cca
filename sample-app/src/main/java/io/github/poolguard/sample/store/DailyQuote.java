package io.github.poolguard.sample.store;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalDate;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/**
 * One ticker's trading day, read through JPA.
 */
@Entity
@Table(name = "daily_quote")
@IdClass(DailyQuote.Key.class)
public class DailyQuote {

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

	protected DailyQuote() {
	}

	public String getTicker() {
		return this.ticker;
	}

	public LocalDate getTradeDate() {
		return this.tradeDate;
	}

	public BigDecimal getOpen() {
		return this.open;
	}

	public BigDecimal getHigh() {
		return this.high;
	}

	public BigDecimal getLow() {
		return this.low;
	}

	public BigDecimal getClose() {
		return this.close;
	}

	public BigDecimal getAdjustedClose() {
		return this.adjustedClose;
	}

	public long getVolume() {
		return this.volume;
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
