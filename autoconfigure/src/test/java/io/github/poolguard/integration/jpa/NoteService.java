package io.github.poolguard.integration.jpa;

import io.github.poolguard.routing.BackgroundWork;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

@Service
public class NoteService {

	private final NoteRepository repository;

	NoteService(NoteRepository repository) {
		this.repository = repository;
	}

	/**
	 * Save a note and report the application name of the connection the transaction ran on.
	 */
	@Transactional
	public String saveAndTellConnection(String text) {
		this.repository.save(new Note(text));
		return this.repository.currentApplicationName();
	}

	/**
	 * The same, declared as background work. The isolation level makes the transaction take
	 * its connection as it begins, so the workload must be bound before the transaction opens.
	 */
	@BackgroundWork
	@Transactional(isolation = Isolation.REPEATABLE_READ)
	public String saveAsBackgroundWorkAndTellConnection(String text) {
		this.repository.save(new Note(text));
		return this.repository.currentApplicationName();
	}

}
