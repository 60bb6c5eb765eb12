//! One batch per output folder: a run holds an advisory lock (`flock`) on the output folder
//! itself for as long as it runs, so a second batch into the same folder stops at once with a
//! clear error instead of overwriting the first one's files and manifest. The operating system
//! drops the lock when the process ends, however it ends, so a killed run leaves no stale lock,
//! and no lock file is left in the folder. (Where a folder cannot be opened as a file, the lock
//! is taken on `.gongwen.lock` in it instead.) Holding the lock, a run also removes the
//! temporary files a killed run left there ([`remove_temporaries`]).

use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;

use crate::error::Error;

/// The lock file's name, where the folder itself cannot be locked.
pub const FILE: &str = ".gongwen.lock";

/// The lock, held until dropped.
#[derive(Debug)]
pub struct Lock {
    _file: File,
}

/// Take the output folder's lock (creating the folder), or say that another batch holds it.
pub fn hold(out_dir: &Path) -> Result<Lock, Error> {
    std::fs::create_dir_all(out_dir)
        .map_err(|e| Error::io(out_dir, format!("cannot create the output folder ({e})")))?;
    let file = match File::open(out_dir) {
        Ok(f) => f,
        Err(_) => {
            let path = out_dir.join(FILE);
            OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)
                .map_err(|e| Error::io(&path, format!("cannot write to the output folder ({e})")))?
        }
    };
    match file.try_lock() {
        Ok(()) => Ok(Lock { _file: file }),
        Err(TryLockError::WouldBlock) => Err(Error::io(
            out_dir,
            "the output folder is in use by another batch",
        )
        .hint("wait for that run to finish, or write to another folder with -o")),
        Err(TryLockError::Error(e)) => Err(Error::io(
            out_dir,
            format!("cannot lock the output folder ({e})"),
        )),
    }
}

/// The prefix of the temporary files written in an output folder before they are renamed
/// ([`crate::write_all`], the manifest).
pub const TEMP_PREFIX: &str = ".gongwen-";

/// Remove the temporary files an earlier run left in `out_dir` when it was killed (SIGKILL,
/// power loss: no handler ran), however young, and say how many. Called with the folder's
/// lock held, so no other batch is writing there; only names of our own pattern are touched:
/// [`TEMP_PREFIX`] then the six letters and digits the `tempfile` crate adds, a regular file
/// (not a link, not a folder).
pub fn remove_temporaries(out_dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(out_dir) else {
        return 0;
    };
    let mut removed = 0;
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        let ours = name
            .strip_prefix(TEMP_PREFIX)
            .is_some_and(|rest| rest.len() == 6 && rest.bytes().all(|b| b.is_ascii_alphanumeric()));
        let file = e.file_type().is_ok_and(|t| t.is_file());
        if ours && file && std::fs::remove_file(e.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_one_folder_is_refused_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let first = hold(&out).unwrap();
        let err = hold(&out).unwrap_err();
        assert_eq!(err.message, "the output folder is in use by another batch");
        assert_eq!(err.location(), out.display().to_string());
        drop(first);
        hold(&out).expect("free again once the first run ends");
        assert_eq!(std::fs::read_dir(&out).unwrap().count(), 0, "no lock file");
    }
}
