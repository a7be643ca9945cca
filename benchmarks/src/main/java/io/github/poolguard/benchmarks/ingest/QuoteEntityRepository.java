package io.github.poolguard.benchmarks.ingest;

import org.springframework.data.jpa.repository.JpaRepository;

public interface QuoteEntityRepository extends JpaRepository<QuoteEntity, QuoteEntity.Key> {

}
