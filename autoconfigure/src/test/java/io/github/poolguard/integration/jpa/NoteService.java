package io.github.poolguard.integration.jpa;

import org.springframework.stereotype.Service;
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

}
