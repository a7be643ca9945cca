CREATE TABLE company (
    ticker      varchar(12) PRIMARY KEY,
    name        text        NOT NULL,
    sector      text,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE daily_quote (
    ticker          varchar(12)   NOT NULL REFERENCES company (ticker),
    trade_date      date          NOT NULL,
    open            numeric(18,4) NOT NULL,
    high            numeric(18,4) NOT NULL,
    low             numeric(18,4) NOT NULL,
    close           numeric(18,4) NOT NULL,
    adjusted_close  numeric(18,4) NOT NULL,
    volume          bigint        NOT NULL,
    PRIMARY KEY (ticker, trade_date)
);

CREATE TABLE fundamentals (
    ticker          varchar(12)   PRIMARY KEY REFERENCES company (ticker),
    price           numeric(18,4),
    market_cap      numeric(24,2),
    pe_ratio        numeric(18,4),
    dividend_yield  numeric(10,4),
    as_of           timestamptz   NOT NULL
);

CREATE TABLE fetch_run (
    id            bigserial    PRIMARY KEY,
    started_at    timestamptz  NOT NULL DEFAULT now(),
    finished_at   timestamptz,
    state         varchar(16)  NOT NULL,
    force_full    boolean      NOT NULL,
    use_brapi     boolean      NOT NULL,
    tickers_total integer      NOT NULL,
    ok            integer      NOT NULL DEFAULT 0,
    failed        integer      NOT NULL DEFAULT 0,
    not_run       integer      NOT NULL DEFAULT 0,
    rows_written  bigint       NOT NULL DEFAULT 0
);

CREATE TABLE fetch_run_ticker (
    run_id   bigint      NOT NULL REFERENCES fetch_run (id),
    ticker   varchar(12) NOT NULL,
    outcome  varchar(8)  NOT NULL,
    rows     integer     NOT NULL DEFAULT 0,
    message  text,
    PRIMARY KEY (run_id, ticker)
);
