package io.github.poolguard.sample.store;

import java.math.BigDecimal;
import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * The latest fundamentals snapshot of a company, read through JPA.
 */
@Entity
@Table(name = "fundamentals")
public class CompanyFundamentals {

	@Id
	private String ticker;

	private BigDecimal price;

	@Column(name = "market_cap")
	private BigDecimal marketCap;

	@Column(name = "pe_ratio")
	private BigDecimal peRatio;

	@Column(name = "dividend_yield")
	private BigDecimal dividendYield;

	@Column(name = "as_of")
	private Instant asOf;

	protected CompanyFundamentals() {
	}

	public String getTicker() {
		return this.ticker;
	}

	public BigDecimal getPrice() {
		return this.price;
	}

	public BigDecimal getMarketCap() {
		return this.marketCap;
	}

	public BigDecimal getPeRatio() {
		return this.peRatio;
	}

	public BigDecimal getDividendYield() {
		return this.dividendYield;
	}

	public Instant getAsOf() {
		return this.asOf;
	}

}
