//! `openssl s_server -www` on 127.0.0.1 for the end-to-end TLS tests, stopped on drop. Shared
//! by the facade's tests (through tests/tls_fixture.rs), the CLI's and palisade-trust's
//! (`#[path = "../../tests/s_server.rs"] mod s_server;`).

use std::ffi::OsStr;
use std::io::Write as _;
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// A running `openssl s_server`.
pub(crate) struct Server {
    child: Child,
    pub(crate) port: u16,
}

impl Server {
    /// `openssl s_server -accept 127.0.0.1:<free port> -www -quiet <args>`; `None`, with a
    /// `SKIPPED` line, when there is no `openssl` command.
    pub(crate) fn start(args: &[&OsStr]) -> Option<Self> {
        if Command::new("openssl").arg("version").output().is_err() {
            #[allow(clippy::print_stderr)] // a skipped live test says so (house rule)
            {
                eprintln!("SKIPPED: no openssl command to run the test server");
            }
            return None;
        }
        // A free port can be taken between our probe and the server's bind: retry.
        for _ in 0..5 {
            let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
                .unwrap()
                .local_addr()
                .unwrap()
                .port();
            let mut child = Command::new("openssl")
                .arg("s_server")
                .arg("-accept")
                .arg(format!("127.0.0.1:{port}"))
                .args(["-www", "-quiet"])
                .args(args)
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if child.try_wait().unwrap().is_some() {
                    break;
                }
                if TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_ok() {
                    // Someone accepted: make sure it is our server and not another test's that
                    // took the port first (ours would then fail to bind and exit).
                    thread::sleep(Duration::from_millis(100));
                    if child.try_wait().unwrap().is_none() {
                        return Some(Self { child, port });
                    }
                    break;
                }
                thread::sleep(Duration::from_millis(20));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        panic!("openssl s_server did not start");
    }

    /// `127.0.0.1:<port>`.
    // Not every test that includes this file connects by address.
    #[allow(dead_code)]
    pub(crate) fn addr(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stdin) = self.child.stdin.as_mut() {
            let _ = stdin.write_all(b"Q\n");
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
