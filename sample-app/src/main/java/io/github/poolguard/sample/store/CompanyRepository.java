package io.github.poolguard.sample.store;

import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;

public interface CompanyRepository extends JpaRepository<Company, String> {

	List<Company> findAllByOrderByTicker();

}
