//! Where photos live: an `object_store`, a local folder by default or an S3-compatible bucket (Amazon
//! S3, Aliyun OSS or Tencent COS in S3 mode, MinIO, …) by configuration. Keys are random, so a URL
//! cannot be guessed from another one.

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
    #[error("cannot use the S3 bucket {bucket}: {reason}")]
    Bucket { bucket: String, reason: String },
    #[error("media store: {0}")]
    Store(#[from] object_store::Error),
}

/// An S3-compatible bucket. The secret key is never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct S3Settings {
    pub bucket: String,
    /// `http(s)://host:port` of an S3-compatible service; `None` for Amazon S3 itself.
    pub endpoint: Option<String>,
    pub region: String,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
}

impl std::fmt::Debug for S3Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Settings")
            .field("bucket", &self.bucket)
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .field(
                "secret_access_key",
                &self.secret_access_key.as_ref().map(|_| "(set)"),
            )
            .finish()
    }
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

    /// An S3-compatible bucket (path-style requests, so any endpoint works).
    pub fn s3(settings: &S3Settings) -> Result<Media, MediaError> {
        let mut builder = object_store::aws::AmazonS3Builder::new()
            .with_bucket_name(&settings.bucket)
            .with_region(&settings.region);
        if let Some(endpoint) = &settings.endpoint {
            builder = builder
                .with_endpoint(endpoint)
                .with_allow_http(endpoint.starts_with("http://"));
        }
        if let (Some(id), Some(secret)) = (&settings.access_key_id, &settings.secret_access_key) {
            builder = builder
                .with_access_key_id(id)
                .with_secret_access_key(secret);
        }
        let store = builder.build().map_err(|e| MediaError::Bucket {
            bucket: settings.bucket.clone(),
            reason: e.to_string(),
        })?;
        Ok(Media {
            store: Arc::new(store),
        })
    }

    /// The configured store: the bucket if one is set, else the folder. (Taking the two settings,
    /// not the whole configuration, keeps this module below `config`.)
    pub fn from_settings(
        s3: Option<&S3Settings>,
        folder: &std::path::Path,
    ) -> Result<Media, MediaError> {
        match s3 {
            Some(s3) => Media::s3(s3),
            None => Media::local(folder),
        }
    }

    /// Writes, reads back and removes a small probe object: a store that cannot take it (no such
    /// bucket, wrong credentials, endpoint down, read-only folder) would fail every photo.
    pub async fn check(&self) -> Result<(), MediaError> {
        const PROBE: &str = "linli-startup-check/probe";
        self.put(PROBE, b"ok".to_vec()).await?;
        self.get(PROBE).await?;
        self.store.delete(&ObjectPath::from(PROBE)).await?;
        Ok(())
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
