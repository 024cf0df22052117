#!/bin/sh
# Runs every test: the unit-test programs under $BUILD/tests/ and the script tests
# tests/**/*.test.sh. Each prints "ok - name" / "not ok - name" lines; this script counts them
# and ends with "N passed, N failed". Exit status 1 when anything failed.
BUILD=${BUILD:-build}
DPOISON=${DPOISON:-$BUILD/dpoison}
export BUILD DPOISON
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
for t in $(find "$BUILD/tests" -type f -name 'test_*' -perm -u+x 2>/dev/null | sort) \
         $(find tests -name '*.test.sh' | sort); do
    case "$t" in
    *.test.sh) sh "$t" >"$log.one" 2>"$log.err"; rc=$? ;;
    *) "$t" >"$log.one" 2>"$log.err"; rc=$? ;;
    esac
    cat "$log.one" >>"$log"
    if [ $rc -ne 0 ] || grep -q '^not ok' "$log.one"; then
        status=1
        echo "FAIL $t (exit $rc)"
        grep '^not ok' "$log.one" | head -20
        head -40 "$log.err"
        if ! grep -q '^\(not \)\?ok' "$log.one"; then echo "not ok - $t crashed or printed nothing" >>"$log"; fi
    else
        echo "PASS $t ($(grep -c '^ok' "$log.one") checks)"
    fi
    rm -f "$log.one" "$log.err"
done
passed=$(grep -c '^ok' "$log")
failed=$(grep -c '^not ok' "$log")
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ $status -eq 0 ]
