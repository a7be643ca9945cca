package io.github.poolguard.sample.store;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/**
 * A company, read through JPA.
 */
@Entity
public class Company {

	@Id
	private String ticker;

	private String name;

	private String sector;

	protected Company() {
	}

	public String getTicker() {
		return this.ticker;
	}

	public String getName() {
		return this.name;
	}

	public String getSector() {
		return this.sector;
	}

}
