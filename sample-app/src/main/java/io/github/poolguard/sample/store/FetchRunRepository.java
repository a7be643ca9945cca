package io.github.poolguard.sample.store;

import org.springframework.data.jpa.repository.JpaRepository;

public interface FetchRunRepository extends JpaRepository<FetchRunRecord, Long> {

}
