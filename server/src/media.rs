//! Where photos live: an `object_store` (a local folder by default). Keys are random, so a URL cannot
//! be guessed from another one.

use bytes::Bytes;
use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use std::sync::Arc;

#[derive(Clone)]
pub struct Media {
    store: Arc<dyn ObjectStore>,
}

#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    #[error("cannot use the media folder {dir}: {reason}")]
    Folder { dir: String, reason: String },
    #[error("media store: {0}")]
    Store(#[from] object_store::Error),
}

impl Media {
    /// A local folder, created if missing.
    pub fn local(dir: &std::path::Path) -> Result<Media, MediaError> {
        let folder_error = |reason: String| MediaError::Folder {
            dir: dir.display().to_string(),
            reason,
        };
        std::fs::create_dir_all(dir).map_err(|e| folder_error(e.to_string()))?;
        let fs = LocalFileSystem::new_with_prefix(dir).map_err(|e| folder_error(e.to_string()))?;
        Ok(Media {
            store: Arc::new(fs),
        })
    }

    pub async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<(), MediaError> {
        self.store
            .put(&ObjectPath::from(key), PutPayload::from(bytes))
            .await?;
        Ok(())
    }

    pub async fn get(&self, key: &str) -> Result<Option<Bytes>, MediaError> {
        match self.store.get(&ObjectPath::from(key)).await {
            Ok(found) => Ok(Some(found.bytes().await?)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Best effort: used to undo the puts of a report that then failed.
    pub async fn delete_all(&self, keys: &[String]) {
        for key in keys {
            if let Err(e) = self.store.delete(&ObjectPath::from(key.as_str())).await {
                tracing::warn!(%key, error = %e, "could not remove an orphaned photo");
            }
        }
    }
}
