# The two commands of the README: `make demo` and `make test`. Both set up .venv on first use.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed
# Prints the interpreter's version; fails when it is older than the project's python_requires.
VERSION_CHECK := -c 'import sys; print("%d.%d.%d" % sys.version_info[:3]); sys.exit(sys.version_info < (3, 11))'
# A .venv whose python is gone (interpreter removed) or too old is rebuilt, not a dead end.
VENV_OK := $(shell $(VENV)/bin/python $(VERSION_CHECK) >/dev/null 2>&1 && echo yes)

.PHONY: demo demo-web test bench FORCE

$(STAMP): setup.cfg pyproject.toml $(if $(VENV_OK),,FORCE)
	@version=$$($(PYTHON) $(VERSION_CHECK) 2>/dev/null) || { \
	  echo "错误：govwatch 需要 Python 3.11 或更高版本，而 $(PYTHON) $${version:+是 Python }$${version:-找不到或无法运行}。"; \
	  echo "请指定合适的解释器，例如：make PYTHON=python3.11 $(MAKECMDGOALS)"; \
	  echo "Error: govwatch needs Python >= 3.11; $(PYTHON) is $${version:+Python }$${version:-missing or broken}. Use e.g. make PYTHON=python3.11 $(MAKECMDGOALS)"; \
	  exit 1; }
	$(if $(VENV_OK),,rm -rf $(VENV))
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/govwatch demo
	@echo ""
	@echo "自己运行 govwatch：命令装在 $(VENV) 里（不在 PATH 上），可以直接运行"
	@echo "    $(VENV)/bin/govwatch --help"
	@echo "或者先激活虚拟环境，再使用 govwatch 命令："
	@echo "    . $(VENV)/bin/activate"
	@echo "    govwatch --help"

# The demo, kept up with the web console over its database; the demo logins are printed. Ctrl+C stops it.
demo-web: $(STAMP)
	$(VENV)/bin/govwatch demo --keep-serving

# Two workers, each test file kept on one (its module fixtures built once): most of the suite waits on
# sites, crawl processes and timeouts, so two halve its time even on two cores (BENCHMARKS.md).
test: $(STAMP)
	$(VENV)/bin/pytest -n 2 --dist loadfile

# The benchmark's own needs (psutil, to sample memory; ahocorasick-rs, the reference matcher) come with
# the `bench` extra.
$(VENV)/.installed-bench: $(STAMP)
	$(VENV)/bin/pip install --quiet -e '.[bench]'
	touch $@

# LinkChecker, the peer the scan is measured against, is Debian's package: installed where we may.
# nginx, which serves the static site, is not installed here (Debian's package starts a system server
# on port 80): without it the bench serves the site with Python and says so.
bench: $(VENV)/.installed-bench
	@command -v linkchecker >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  apt-get install -y -qq linkchecker >/dev/null; } || \
	  echo "LinkChecker 未安装（Debian 软件包 linkchecker），基准中略过它"
	@command -v nginx >/dev/null || PATH="$$PATH:/usr/sbin" command -v nginx >/dev/null || \
	  echo "nginx 未安装（可安装 Debian 软件包 nginx-light），静态站点改由 Python 服务器提供"
	$(VENV)/bin/python -m bench
