package io.github.poolguard.sample.store;

import org.springframework.data.jpa.repository.JpaRepository;

public interface CompanyFundamentalsRepository extends JpaRepository<CompanyFundamentals, String> {

}
