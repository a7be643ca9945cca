package io.github.poolguard.integration.jpa;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface NoteRepository extends JpaRepository<Note, Long> {

	@Query(value = "SELECT application_name FROM pg_stat_activity WHERE pid = pg_backend_pid()", nativeQuery = true)
	String currentApplicationName();

}
